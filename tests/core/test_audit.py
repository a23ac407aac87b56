"""The audit log is a hash chain: appending links rows, tampering is detected."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from core import audit


def test_chain_links_and_verifies(session: Session) -> None:
    first = audit.record(session, "cli:admin", "roster.import", object_type="file", object_id="a.csv",
                         details={"n": 1})
    second = audit.record(session, "reviewer1", "case.view", object_type="case", object_id=7)
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash
    assert audit.verify_chain(session) == []


def test_tampering_is_detected(session: Session) -> None:
    audit.record(session, "a", "x")
    victim = audit.record(session, "a", "y", details={"count": 1})
    audit.record(session, "a", "z")
    session.commit()
    # bypass the append-only trigger the way an attacker with DBA rights would
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(text("DROP TRIGGER audit_event_no_update"))
    else:
        session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change"))
    session.execute(text("UPDATE audit_event SET details = '{\"count\": 2}' WHERE id = :i"), {"i": victim.id})
    session.commit()
    session.expire_all()
    breaks = audit.verify_chain(session)
    assert [b.event_id for b in breaks] == [victim.id]
    assert "does not match its hash" in breaks[0].reason
