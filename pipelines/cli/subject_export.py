"""``netral roster export-subject``: everything netral holds about one employee, as a ZIP (UU PDP access request).

The ZIP is written to a temporary file beside ``--out`` and renamed into place only after the audit
event is committed, so a failed export leaves neither a partial file nor a file the audit log does
not know about.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from core import subject_export
from core.errors import NetralError
from core.evidence import EvidenceArchive
from pipelines.cli.runtime import console, current_actor, err_console, runtime


def export_subject(
    number: str = typer.Argument(..., help="NIP, NI PPPK or staff number (spaces allowed)."),
    out: Path = typer.Option(..., "--out", help="The ZIP file to write."),
    actor: str = typer.Option(None, "--actor", help="Who makes the export, for the audit log "
                              "(default: cli:<login name>)."),
    force: bool = typer.Option(False, "--force", help="Overwrite --out if it exists."),
    raw_evidence: str = typer.Option(None, "--raw-evidence", metavar="REASON",
                                     help="Ship evidence files as captured, other employees' accounts and names "
                                          "included (default: a redacted rendering). REASON is recorded in the "
                                          "audit log and the summary."),
) -> None:
    """Export one employee's personal data (subject.json, ringkasan.txt, evidence files); audited.

    Evidence naming other employees (comment threads, likers lists) is redacted unless --raw-evidence."""
    if out.is_dir():
        raise NetralError(f"{out} is a directory; give the ZIP file to write")
    if out.exists() and not force:
        raise NetralError(f"{out} already exists; pass --force to overwrite it")
    rt = runtime()
    archive = EvidenceArchive(rt.settings.resolved_evidence_dir)
    context = {"via": "cli"} | ({"os_user": current_actor()} if actor else {})
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with rt.session() as session, os.fdopen(fd, "wb") as fh:
            result = subject_export.export_subject(session, archive, number, fh, actor=actor or current_actor(),
                                                   context=context, raw_evidence_reason=raw_evidence)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for status, n in sorted(result.evidence.items()):
        if status != "included":
            err_console.print(f"warning: {n} evidence file(s) {status} (listed in subject.json)", markup=False)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items() if k != "employee")
    console.print(f"{out}: {result.size} bytes, sha256 {result.sha256}", markup=False)
    console.print(f"  {counts}", markup=False)
    if raw_evidence is not None:
        err_console.print("warning: original evidence files shipped; they may name other employees", markup=False)
    console.print("  recorded in the audit log as subject.export", markup=False)
