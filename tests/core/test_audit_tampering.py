"""An attacker with database rights (triggers dropped) cannot rewrite, truncate or empty the log unseen.

Each check runs ``netral audit verify`` the way an operator would, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core import audit
from core.models import AuditEvent, utcnow
from core.settings import Settings
from pipelines.cli import app

runner = CliRunner()


def _drop_triggers(session: Session) -> None:
    """What someone with DBA rights does first: remove the append-only guard."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER audit_event_no_update"))
        session.execute(text("DROP TRIGGER audit_event_no_delete"))
    else:
        session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change"))
    session.commit()


@pytest.fixture
def logged(session: Session, settings: Settings) -> list[int]:
    ids = [audit.record(session, "reviewer1", "case.view", object_type="case", object_id=i).id for i in range(5)]
    session.commit()
    return ids


def _verify(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["audit", "verify", *args])
    return r.exit_code, r.output


def _checkpoint(tmp_path: Path) -> Path:
    out = tmp_path / "cp.json"
    r = runner.invoke(app, ["audit", "checkpoint", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


def test_intact_log_verifies_with_count_and_head(logged: list[int], session: Session, tmp_path: Path) -> None:
    cp = _checkpoint(tmp_path)
    code, out = _verify("--checkpoint", str(cp))
    head = audit.walk_chain(session).head_hash
    assert (code, "6 events verified" in out, head in out) == (0, True, True)


def test_rehashed_rows_without_the_key_are_detected(logged: list[int], session: Session) -> None:
    """Editing a row and recomputing every hash from it onwards (plain SHA-256, no key) breaks the chain."""
    _drop_triggers(session)
    prev = audit.GENESIS
    for event in list(session.scalars(select(AuditEvent).order_by(AuditEvent.id))):
        details = {"forged": True} if event.id == logged[2] else event.details
        payload = audit._payload(prev, event.at, event.actor, event.action, event.object_type, event.object_id,
                                 details)
        digest = hashlib.sha256(payload).hexdigest()
        session.execute(text("UPDATE audit_event SET details = :d, prev_hash = :p, hash = :h WHERE id = :i"),
                        {"d": json.dumps(details), "p": prev, "h": digest, "i": event.id})
        prev = digest
    session.commit()
    code, out = _verify()
    assert (code, "content does not match its hash" in out) == (1, True)


def test_downgrade_to_the_unkeyed_scheme_is_detected(logged: list[int], session: Session) -> None:
    _drop_triggers(session)
    session.execute(text("UPDATE audit_event SET scheme = 1 WHERE id = :i"), {"i": logged[-1]})
    session.commit()
    code, out = _verify()
    assert (code, "unkeyed row after keyed rows" in out) == (1, True)


def test_deleted_newest_rows_are_detected_against_a_checkpoint(logged: list[int], session: Session,
                                                              tmp_path: Path) -> None:
    cp = _checkpoint(tmp_path)
    _drop_triggers(session)
    session.execute(text("DELETE FROM audit_event WHERE id >= :i"), {"i": logged[3]})
    session.commit()
    code, out = _verify("--checkpoint", str(cp))
    assert (code, "truncated" in out) == (1, True)


def test_emptied_log_is_detected_against_a_checkpoint(logged: list[int], session: Session, tmp_path: Path) -> None:
    cp = _checkpoint(tmp_path)
    _drop_triggers(session)
    session.execute(text("DELETE FROM audit_event"))
    session.commit()
    code, out = _verify("--checkpoint", str(cp))
    assert (code, "the log now holds 0" in out) == (1, True)


def test_forged_checkpoint_is_refused(logged: list[int], tmp_path: Path) -> None:
    cp = _checkpoint(tmp_path)
    doc = json.loads(cp.read_text())
    doc["count"] = 1
    cp.write_text(json.dumps(doc))
    code, out = _verify("--checkpoint", str(cp))
    assert (code, "signature does not verify" in out) == (1, True)


def test_legacy_unkeyed_rows_keep_verifying(engine: Engine, session: Session, settings: Settings) -> None:
    """Rows written before revision 0600 (plain SHA-256, scheme 1) still verify."""
    at = utcnow()
    payload = audit._payload(audit.GENESIS, at, "cli:admin", "roster.import", None, None, {})
    digest = hashlib.sha256(payload).hexdigest()
    session.execute(text("INSERT INTO audit_event (at, actor, action, details, prev_hash, hash, scheme) "
                         "VALUES (:at, 'cli:admin', 'roster.import', '{}', :p, :h, 1)"),
                    {"at": at, "p": audit.GENESIS, "h": digest})
    session.commit()
    audit.record(session, "reviewer1", "case.view")
    session.commit()
    report = audit.walk_chain(session)
    assert (report.breaks, report.legacy_count, report.count) == ([], 1, 2)


def _rewrite_all(session: Session, scheme: int, forged_id: int) -> None:
    """Edit one row and recompute every hash with plain SHA-256 (no key), claiming ``scheme``."""
    _drop_triggers(session)
    prev = audit.GENESIS
    for event in list(session.scalars(select(AuditEvent).order_by(AuditEvent.id))):
        details = {"forged": True} if event.id == forged_id else event.details
        payload = audit._payload(prev, event.at, event.actor, event.action, event.object_type, event.object_id,
                                 details)
        digest = hashlib.sha256(payload).hexdigest()
        session.execute(text("UPDATE audit_event SET details = :d, prev_hash = :p, hash = :h, scheme = :s "
                             "WHERE id = :i"), {"d": json.dumps(details), "p": prev, "h": digest, "s": scheme,
                                                "i": event.id})
        prev = digest
    session.commit()


def test_the_whole_log_rewritten_as_unkeyed_rows_is_detected(logged: list[int], session: Session) -> None:
    """Plain SHA-256 needs no key: rows passed off as pre-keyed ("legacy") ones are caught by the anchor."""
    _rewrite_all(session, audit.SCHEME_SHA256, logged[2])
    code, out = _verify()
    assert (code, "beyond the 0 that preceded the keyed chain" in out) == (1, True)


def test_the_anchor_sits_beside_the_key_not_in_the_database(logged: list[int], settings: Settings) -> None:
    from core import audit_anchor

    assert audit_anchor.read(settings.data_dir) == audit_anchor.ChainStart(0, audit.GENESIS)


def test_a_rewritten_legacy_prefix_is_detected(engine: Engine, session: Session, settings: Settings) -> None:
    at = utcnow()
    for n in range(2):
        prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or audit.GENESIS
        payload = audit._payload(prev, at, "cli:admin", f"roster.import{n}", None, None, {})
        session.execute(text("INSERT INTO audit_event (at, actor, action, details, prev_hash, hash, scheme) "
                             "VALUES (:at, 'cli:admin', :a, '{}', :p, :h, 1)"),
                        {"at": at, "a": f"roster.import{n}", "p": prev, "h": hashlib.sha256(payload).hexdigest()})
    session.commit()
    audit.record(session, "reviewer1", "case.view")
    session.commit()
    first = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id))
    assert first is not None
    _rewrite_all(session, audit.SCHEME_SHA256, first)  # everything unkeyed now, the legacy rows edited
    code, out = _verify()
    assert (code, "beyond the 2 that preceded the keyed chain" in out) == (1, True)
