"""The append-only, keyed hash-chained audit log.

Each event's hash covers its content and the previous event's hash, so editing, deleting or
reordering a row breaks the chain and :func:`verify_chain` names the first broken row. The database
itself refuses UPDATE and DELETE on the table (triggers created by the migrations), but someone with
database rights can drop the triggers; that is why the chain is keyed: since revision 0600 every new
row's hash is an HMAC-SHA256 under the installation's audit key (``core.keys.audit_hmac_key``), a
file outside the database, so rewritten rows cannot be given valid hashes without that file. Rows
written before (``scheme`` 1, plain SHA-256) keep verifying as they are; a plain row after a keyed one
is itself a break (a downgrade). Deleting the newest rows, or all of them, is detected against a
signed checkpoint (:mod:`core.audit_checkpoint`). Rewriting the whole log as plain-SHA-256 rows is caught
by the anchor written beside the key when the keyed chain began (:mod:`core.audit_anchor`).

Appends are serialised on both databases so the chain never forks: PostgreSQL takes a transaction
advisory lock, SQLite takes the database write lock before the previous hash is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core import audit_anchor
from core.keys import audit_hmac_key
from core.models import AuditEvent, utcnow
from core.settings import get_settings

GENESIS = "0" * 64
SCHEME_SHA256 = 1
SCHEME_HMAC = 2
_PG_LOCK_KEY = 0x6E657472  # "netr": serialises appenders so the chain never forks
_KEYS: dict[Path, bytes] = {}


def chain_key(data_dir: Path | None = None) -> bytes:
    """The HMAC key of the chain for ``data_dir`` (default: the configured one), read once per path."""
    path = (data_dir if data_dir is not None else get_settings().data_dir).resolve()
    if path not in _KEYS:
        _KEYS[path] = audit_hmac_key(path)
    return _KEYS[path]


def _payload(prev_hash: str, at: datetime, actor: str, action: str, object_type: str | None,
             object_id: str | None, details: dict[str, Any]) -> bytes:
    return json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, object_type, object_id, details],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    ).encode("utf-8")


def _digest(scheme: int, key: bytes | None, payload: bytes) -> str:
    if scheme == SCHEME_SHA256:
        return hashlib.sha256(payload).hexdigest()
    if key is None:
        raise ValueError("the keyed audit scheme needs the installation's audit key")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _lock_for_append(session: Session) -> None:
    """Hold the appenders' lock until the caller's transaction ends.

    On SQLite a zero-row DELETE opens a write transaction (the database's single write lock; the
    append-only trigger fires per row, so never here): the previous hash is then read by the only
    writer and concurrent appenders wait (busy_timeout) instead of reusing it.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    elif dialect == "sqlite":
        session.execute(text("DELETE FROM audit_event WHERE 0"))


def record(session: Session, actor: str, action: str, *, object_type: str | None = None,
           object_id: str | int | None = None, details: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event in the caller's transaction (it is committed with the act it records)."""
    key = chain_key()
    _lock_for_append(session)
    audit_anchor.ensure(session, get_settings().data_dir, GENESIS, SCHEME_SHA256)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_hash = last.hash if last else GENESIS
    at = utcnow()
    details = json.loads(json.dumps(details or {}, default=str))
    oid = None if object_id is None else str(object_id)
    digest = _digest(SCHEME_HMAC, key, _payload(prev_hash, at, actor, action, object_type, oid, details))
    event = AuditEvent(at=at, actor=actor, action=action, object_type=object_type, object_id=oid,
                       details=details, prev_hash=prev_hash, hash=digest, scheme=SCHEME_HMAC)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops being trustworthy, and why."""

    event_id: int
    reason: str


@dataclass
class ChainReport:
    """What a verification walked: how many events, the head, the legacy prefix and the breaks."""

    count: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    legacy_count: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    anchor_position: int | None = None  # 1-based position of the row whose hash was asked for

    @property
    def intact(self) -> bool:
        return not self.breaks


_CONFIGURED: Any = object()  # "use the configured data dir's anchor"


def walk_chain(session: Session, key: bytes | None = None, *, anchor_hash: str | None = None,
               start: audit_anchor.ChainStart | None = _CONFIGURED) -> ChainReport:
    """Recompute every hash in order (keyed rows with ``key``, default the configured key).

    ``anchor_hash`` (a checkpoint's head) is looked for on the way: its position is reported. ``start``
    (default: the configured installation's :mod:`core.audit_anchor`) bounds the unkeyed prefix: more
    unkeyed rows than were there when the keyed chain began, or a different last one, is a rewrite.
    """
    key = key if key is not None else chain_key()
    if start is _CONFIGURED:
        start = audit_anchor.read(get_settings().data_dir)
    report = ChainReport()
    prev = GENESIS
    keyed_seen = False
    legacy_head = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000):
        report.count += 1
        if event.prev_hash != prev:
            report.breaks.append(ChainBreak(event.id, "previous-hash link does not match the row before"))
        if event.scheme == SCHEME_SHA256:
            report.legacy_count += 1
            legacy_head = event.hash
            if keyed_seen:
                report.breaks.append(ChainBreak(event.id, "unkeyed row after keyed rows (downgraded hash)"))
            elif start is not None and report.legacy_count == start.legacy_rows + 1:
                report.breaks.append(ChainBreak(event.id, (
                    f"unkeyed row beyond the {start.legacy_rows} that preceded the keyed chain "
                    "(rows rewritten without the key)")))
        elif event.scheme == SCHEME_HMAC:
            keyed_seen = True
        else:
            report.breaks.append(ChainBreak(event.id, f"unknown hash scheme {event.scheme}"))
            prev = event.hash
            continue
        payload = _payload(event.prev_hash, event.at, event.actor, event.action, event.object_type,
                           event.object_id, event.details)
        if not hmac.compare_digest(_digest(event.scheme, key, payload), event.hash):
            report.breaks.append(ChainBreak(event.id, "content does not match its hash"))
        prev = event.hash
        if anchor_hash is not None and event.hash == anchor_hash:
            report.anchor_position = report.count
        report.head_id, report.head_hash = event.id, event.hash
    if (start is not None and start.legacy_rows and report.legacy_count == start.legacy_rows
            and legacy_head != start.legacy_head):
        report.breaks.append(ChainBreak(0, "the last unkeyed row is not the one recorded when the keyed chain began"))
    return report


def verify_chain(session: Session) -> list[ChainBreak]:
    """The breaks of :func:`walk_chain`; an empty list means the log is intact."""
    return walk_chain(session).breaks
