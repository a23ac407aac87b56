"""The scheduled backup as a flow: one archive per run in the backup directory, the newest N kept."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from core import backup
from core.db import engine_from_settings
from core.evidence import EvidenceArchive
from core.settings import get_settings


@task(retries=1, retry_delay_seconds=60)
def backup_task(keep: int | None = None) -> dict[str, Any]:
    """Write a backup, then prune: a failed backup never deletes an older good one."""
    settings = get_settings()
    directory = settings.resolved_backup_dir
    out = directory / backup.default_name()
    engine = engine_from_settings(settings)
    try:
        manifest = backup.create(engine, settings.resolved_database_url,
                                 EvidenceArchive(settings.resolved_evidence_dir), out)
    finally:
        engine.dispose()
    removed = backup.prune(directory, keep or settings.backup_keep)
    return {"file": str(out), "counts": manifest["counts"], "evidence_files": manifest["evidence_files"],
            "removed": [str(p) for p in removed]}


@flow(name="scheduled-backup", log_prints=False)
def scheduled_backup(keep: int | None = None) -> dict[str, Any]:
    """Back up the database and the evidence archive; keep the newest ``keep`` (default NETRAL_BACKUP_KEEP)."""
    return backup_task(keep)
