"""Retention purge (PDP, UU 27/2022): collected material nobody needs any more is deleted.

What goes: interactions, content items and evidence older than ``retention_days`` (by fetch time) that
no case needs. What stays: everything an incident of a case points at — its target content, the interactions
attached to it with their own and target content — reports submitted by people, and any evidence still
referenced from a remaining row. The purge writes an audit event with the counts.

Files are removed from the archive only after the database transaction committed
(:func:`remove_files`), so a failed purge never leaves rows pointing at missing files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, union
from sqlalchemy.orm import Session

from core import audit
from core.evidence import EvidenceArchive
from core.models import Base, ContentItem, Evidence, Incident, IncidentInteraction, Interaction, TargetVerdict, utcnow

log = logging.getLogger(__name__)


@dataclass
class PurgeReport:
    """What a purge removed (or would remove) and which archive files to delete after commit."""

    cutoff: datetime
    interactions: int = 0
    content_items: int = 0
    evidence: int = 0
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"cutoff": self.cutoff.isoformat(), "interactions": self.interactions,
                "content_items": self.content_items, "evidence": self.evidence}


def _not_null(column: Any) -> Any:
    return select(column).where(column.isnot(None))


def _protected_content() -> Any:
    linked = select(IncidentInteraction.interaction_id)
    parts = [
        _not_null(Incident.target_content_id),
        _not_null(TargetVerdict.target_content_id),
        _not_null(Interaction.target_content_id).where(Interaction.id.in_(linked)),
        _not_null(Interaction.own_content_id).where(Interaction.id.in_(linked)),
    ]
    report = Base.metadata.tables.get("report")
    if report is not None:
        parts.append(_not_null(report.c.content_id))
    return select(union(*parts).subquery().c[0])


def _evidence_references() -> Any:
    """Every column of every table that points at evidence.id (so new tables are covered too)."""
    parts = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "evidence" and table.name != "evidence":
                parts.append(_not_null(fk.parent))
    return select(union(*parts).subquery().c[0])


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def purge(session: Session, *, retention_days: int, actor: str = "system:retention",
          now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete what retention allows; never commits (the caller does, then calls :func:`remove_files`)."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    if dry_run:  # the exact counts come from doing it, inside a savepoint that is then rolled back
        savepoint = session.begin_nested()
        report = _purge(session, cutoff)
        savepoint.rollback()
        return report
    report = _purge(session, cutoff)
    audit.record(session, actor, "retention.purge", object_type="retention",
                 details={**report.as_dict(), "retention_days": retention_days})
    session.flush()
    log.info("retention purge (cutoff %s): %s", cutoff.isoformat(), report.as_dict())
    return report


def _purge(session: Session, cutoff: datetime) -> PurgeReport:
    report = PurgeReport(cutoff)
    linked = select(IncidentInteraction.interaction_id)
    old_interactions = select(Interaction.id).where(Interaction.fetched_at < cutoff, Interaction.id.not_in(linked))
    report.interactions = _count(session, old_interactions)
    session.execute(delete(Interaction).where(Interaction.id.in_(old_interactions)))

    still_used = select(union(_not_null(Interaction.target_content_id), _not_null(Interaction.own_content_id))
                        .subquery().c[0])
    old_content = select(ContentItem.id).where(
        ContentItem.fetched_at < cutoff, ContentItem.id.not_in(_protected_content()),
        ContentItem.id.not_in(still_used))
    report.content_items = _count(session, old_content)
    session.execute(delete(ContentItem).where(ContentItem.id.in_(old_content)))

    old_evidence = select(Evidence.id).where(Evidence.fetched_at < cutoff, Evidence.id.not_in(_evidence_references()))
    doomed = session.execute(select(Evidence.id, Evidence.stored_path).where(Evidence.id.in_(old_evidence))).all()
    report.evidence = len(doomed)
    ids = [i for i, _ in doomed]
    for start in range(0, len(ids), 500):
        session.execute(delete(Evidence).where(Evidence.id.in_(ids[start:start + 500])))
    session.flush()
    # captures share files (identical bodies): a file goes only when no remaining capture names it
    paths = sorted({path for _, path in doomed})
    kept: set[str] = set()
    for start in range(0, len(paths), 500):
        kept.update(session.scalars(select(Evidence.stored_path).where(
            Evidence.stored_path.in_(paths[start:start + 500]))))
    report.files = [p for p in paths if p not in kept]
    return report


def remove_files(archive: EvidenceArchive, relative_paths: list[str]) -> int:
    """Delete purged evidence files from the archive (after the purge committed); returns how many."""
    removed = 0
    for rel in relative_paths:
        path = archive.root / rel
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
