"""The daily retention purge as a flow: delete what no case needs, then its archive files."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from core.db import engine_from_settings, make_session_factory, session_scope
from core.evidence import EvidenceArchive
from core.retention import purge, remove_files
from core.settings import get_settings


@task(retries=1, retry_delay_seconds=30)
def purge_task(retention_days: int | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Purge in one transaction; files go only after it committed."""
    settings = get_settings()
    days = retention_days or settings.retention_days
    engine = engine_from_settings(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            report = purge(session, retention_days=days, dry_run=dry_run)
        removed = 0 if dry_run else remove_files(EvidenceArchive(settings.resolved_evidence_dir), report.files)
    finally:
        engine.dispose()
    return {**report.as_dict(), "files_removed": removed, "dry_run": dry_run, "retention_days": days}


@flow(name="retention-purge", log_prints=False)
def retention_purge(retention_days: int | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Remove content and evidence older than the retention period that no case is attached to."""
    return purge_task(retention_days, dry_run)
