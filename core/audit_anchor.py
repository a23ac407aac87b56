"""Where the keyed audit chain began, kept beside the HMAC key (outside the database).

Rows written before the keyed chain (revision 0600) keep their plain SHA-256 hashes and still verify. Without
a record of how many there were, someone with database rights could rewrite the *whole* log as such
"legacy" rows — plain SHA-256 needs no key — and it would verify. So the first keyed append writes
``<data_dir>/keys/audit-anchor.json``: the number of unkeyed rows before it and the hash of the last of
them. :func:`core.audit.walk_chain` then refuses any other unkeyed prefix. The file changes nothing that a
rolled-back transaction could undo (the unkeyed prefix is fixed once keyed rows are written), and an
existing file is never replaced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import keys
from core.models import AuditEvent

ANCHOR_FILE = "audit-anchor.json"
_SEEN: set[Path] = set()  # data dirs whose anchor is known to exist (one stat per process, not per append)


@dataclass(frozen=True)
class ChainStart:
    """How many unkeyed rows precede the keyed chain, and the hash of the last of them."""

    legacy_rows: int
    legacy_head: str


def path_for(data_dir: Path) -> Path:
    return keys.keys_dir(data_dir) / ANCHOR_FILE


def read(data_dir: Path) -> ChainStart | None:
    """The recorded start, or None when no keyed row was appended under this code yet."""
    path = path_for(data_dir)
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return ChainStart(int(doc["legacy_rows"]), str(doc["legacy_head"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise keys.KeyFileError(f"{path}: not a readable audit anchor ({exc})") from exc


def ensure(session: Session, data_dir: Path, genesis: str, legacy_scheme: int) -> None:
    """Record the start before the first keyed append (the caller holds the appenders' lock)."""
    resolved = data_dir.resolve()
    if resolved in _SEEN:
        return
    path = path_for(resolved)
    if not path.exists():
        legacy = select(AuditEvent).where(AuditEvent.scheme == legacy_scheme)
        count = session.scalar(select(func.count()).select_from(legacy.subquery())) or 0
        last = session.scalars(legacy.order_by(AuditEvent.id.desc()).limit(1)).first()
        body = json.dumps({"legacy_rows": count, "legacy_head": last.hash if last else genesis}, sort_keys=True)
        keys.write_private(path, body.encode("utf-8"))
    _SEEN.add(resolved)
