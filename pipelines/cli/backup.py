"""``netral backup`` and ``netral restore``: one archive of the database and the evidence store."""

from __future__ import annotations

from pathlib import Path

import typer

from pipelines.cli.runtime import console, runtime


def backup_cmd(out: Path = typer.Option(..., "--out", help="Archive to write (.tar).")) -> None:
    """Back up the database (a consistent snapshot, also while a scan runs) and the evidence it names."""
    from core import backup
    from core.evidence import EvidenceArchive

    rt = runtime()
    rt.require_current_schema()
    manifest = backup.create(rt.engine, rt.settings.resolved_database_url,
                             EvidenceArchive(rt.settings.resolved_evidence_dir), out)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    console.print(f"backup written to {out}: {manifest['dialect']} at revision {manifest['revision']}, "
                  f"{manifest['evidence_files']} evidence files; {counts}", markup=False)
    console.print("the keys (<data_dir>/keys) are not in the backup: keep a copy of them elsewhere", markup=False)


def restore_cmd(archive: Path = typer.Argument(..., help="A file written by `netral backup`."),
                force: bool = typer.Option(False, "--force", help="Replace a database that is not empty.")) -> None:
    """Restore a backup into the configured (empty) database and evidence store, then verify both."""
    from core import backup
    from core.evidence import EvidenceArchive

    rt = runtime()
    report = backup.restore(archive, rt.engine, rt.settings.resolved_database_url,
                            EvidenceArchive(rt.settings.resolved_evidence_dir), force=force)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    console.print(f"restored {archive}: {counts}; {report.evidence_files} evidence files", markup=False)
    for problem in report.audit_problems + report.evidence_problems:
        console.print(problem, markup=False)
    if not report.ok:
        console.print("verification FAILED: see the lines above (audit verify / evidence verify)", markup=False)
        raise typer.Exit(1)
    console.print("audit log intact; every evidence file matches its SHA-256", markup=False)
