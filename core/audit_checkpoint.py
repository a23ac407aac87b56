"""Signed checkpoints of the audit chain: an anchor kept outside the database.

A keyed chain stops rewriting, but not deleting its newest rows (or all of them): what is left
still verifies. A checkpoint records the head hash, the number of events and the time, signed with
the installation's Ed25519 key (``core.keys.sign``). Kept elsewhere (printed, mailed, on another
machine), it lets :func:`verify` prove that the log still holds the checkpointed head at the same
position: fewer events, a missing head or an empty table are reported as truncation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from core import audit, audit_anchor, keys
from core.errors import NetralError
from core.models import utcnow

FORMAT = "netral-audit-checkpoint/1"


class CheckpointError(NetralError):
    """A checkpoint file cannot be read, is malformed, or its signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    """The signed content of a checkpoint file."""

    head_id: int | None
    head_hash: str
    count: int
    at: datetime

    def message(self) -> bytes:
        """The canonical bytes that are signed."""
        body = {"format": FORMAT, "head_id": self.head_id, "head_hash": self.head_hash,
                "count": self.count, "at": self.at.isoformat()}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def take(session: Session, data_dir: Path) -> dict[str, Any]:
    """Verify the chain and return a signed checkpoint of its head (refused if the chain is broken)."""
    report = audit.walk_chain(session, audit.chain_key(data_dir), start=audit_anchor.read(data_dir))
    if report.breaks:
        first = report.breaks[0]
        raise CheckpointError(f"audit chain is broken at event {first.event_id} ({first.reason}); "
                              "no checkpoint is signed over a broken chain")
    cp = Checkpoint(report.head_id, report.head_hash, report.count, utcnow())
    doc: dict[str, Any] = json.loads(cp.message())
    doc["signature"] = keys.sign(data_dir, cp.message())
    return doc


def write(path: Path, doc: dict[str, Any]) -> None:
    """Write ``doc`` as JSON (the file is new or replaced whole)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def load(path: Path, data_dir: Path) -> Checkpoint:
    """Read a checkpoint file and check its signature with the installation's public key."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: not a readable checkpoint ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CheckpointError(f"{path}: field 'format' must be {FORMAT!r}")
    try:
        head_id = doc["head_id"]
        cp = Checkpoint(None if head_id is None else int(head_id), str(doc["head_hash"]),
                        int(doc["count"]), datetime.fromisoformat(str(doc["at"])))
        signature = str(doc["signature"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"{path}: missing or malformed field ({exc})") from exc
    public = keys.signing_key(data_dir).public_key()
    if not keys.verify(public, cp.message(), signature):
        raise CheckpointError(f"{path}: signature does not verify with this installation's key")
    return cp


@dataclass
class Verification:
    """The result shown by ``netral audit verify`` and the audit page."""

    count: int
    head_hash: str
    legacy_count: int
    breaks: list[audit.ChainBreak]
    checkpoint: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)  # chain breaks and checkpoint mismatches, as text

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(session: Session, data_dir: Path, checkpoint: Checkpoint | None = None) -> Verification:
    """Walk the keyed chain and, with a checkpoint, check its head is still there at its position."""
    anchor = checkpoint.head_hash if checkpoint and checkpoint.count else None
    report = audit.walk_chain(session, audit.chain_key(data_dir), anchor_hash=anchor,
                              start=audit_anchor.read(data_dir))
    result = Verification(report.count, report.head_hash, report.legacy_count, report.breaks, checkpoint)
    result.problems = [f"audit event {b.event_id}: {b.reason}" for b in report.breaks]
    if checkpoint is not None:
        if report.count < checkpoint.count:
            result.problems.append(
                f"truncated: the checkpoint of {checkpoint.at.isoformat()} counted {checkpoint.count} "
                f"events, the log now holds {report.count}")
        if checkpoint.count and report.anchor_position != checkpoint.count:
            where = ("is missing" if report.anchor_position is None
                     else f"is at position {report.anchor_position}")
            result.problems.append(
                f"the checkpointed head {checkpoint.head_hash[:16]}… (event {checkpoint.head_id}, "
                f"position {checkpoint.count}) {where}")
    return result
