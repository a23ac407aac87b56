"""The append-only, hash-chained audit log.

Each event's hash covers its content and the previous event's hash, so editing, deleting or
reordering a row breaks the chain and :func:`verify_chain` names the first broken row. The database
itself refuses UPDATE and DELETE on the table (triggers created by the migrations).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.models import AuditEvent, utcnow

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x6E657472  # "netr": serialises appenders so the chain never forks


def _digest(prev_hash: str, at: datetime, actor: str, action: str, object_type: str | None,
            object_id: str | None, details: dict[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, object_type, object_id, details],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, *, object_type: str | None = None,
           object_id: str | int | None = None, details: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event in the caller's transaction (it is committed with the act it records)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_hash = last.hash if last else GENESIS
    at = utcnow()
    details = json.loads(json.dumps(details or {}, default=str))
    oid = None if object_id is None else str(object_id)
    event = AuditEvent(at=at, actor=actor, action=action, object_type=object_type, object_id=oid,
                       details=details, prev_hash=prev_hash,
                       hash=_digest(prev_hash, at, actor, action, object_type, oid, details))
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops being trustworthy, and why."""

    event_id: int
    reason: str


def verify_chain(session: Session) -> list[ChainBreak]:
    """Recompute every hash in order; an empty list means the log is intact."""
    breaks: list[ChainBreak] = []
    prev = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000):
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.id, "previous-hash link does not match the row before"))
        expected = _digest(event.prev_hash, event.at, event.actor, event.action, event.object_type,
                           event.object_id, event.details)
        if expected != event.hash:
            breaks.append(ChainBreak(event.id, "content does not match its hash"))
        prev = event.hash
    return breaks
