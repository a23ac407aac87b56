"""``netral audit``: verify the keyed chain and take signed checkpoints of its head."""

from __future__ import annotations

from pathlib import Path

import typer

from core import audit, audit_checkpoint
from pipelines.cli.runtime import console, runtime

app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)


@app.command("verify")
def verify(
    checkpoint: Path | None = typer.Option(None, "--checkpoint", help="A file written by `netral audit checkpoint`: "
                                           "also detect deleted newest rows or an emptied log."),
) -> None:
    """Recompute the audit log's keyed hash chain; exit 1 if a row was altered or the log was truncated."""
    rt = runtime()
    cp = audit_checkpoint.load(checkpoint, rt.settings.data_dir) if checkpoint else None
    with rt.session() as session:
        result = audit_checkpoint.verify(session, rt.settings.data_dir, cp)
    for problem in result.problems:
        console.print(problem, markup=False)
    console.print(f"{result.count} events verified ({result.legacy_count} unkeyed from before the keyed chain); "
                  f"head {result.head_hash}", markup=False)
    if cp is not None and result.intact:
        console.print(f"checkpoint of {cp.at.isoformat()} ({cp.count} events) is contained in the log", markup=False)
    if not result.intact:
        raise typer.Exit(1)
    console.print("audit log intact")


@app.command("checkpoint")
def checkpoint(out: Path = typer.Option(..., "--out", help="File to write the signed checkpoint to.")) -> None:
    """Sign the chain's head hash, event count and time with the installation key; keep the file elsewhere."""
    rt = runtime()
    with rt.session() as session:
        doc = audit_checkpoint.take(session, rt.settings.data_dir)
        audit.record(session, "cli", "audit.checkpoint", object_type="audit_log",
                     details={"count": doc["count"], "head_hash": doc["head_hash"], "file": out.name})
        audit_checkpoint.write(out, doc)  # before the commit: no audited checkpoint without its file
    console.print(f"checkpoint written to {out}: {doc['count']} events, head {doc['head_hash']}", markup=False)
