"""``netral cases export-decisions``: reviewer decisions as labelled JSON Lines for the classifier."""

from __future__ import annotations

from pathlib import Path

import typer

from core import decisions_export
from pipelines.cli.runtime import console, current_actor, runtime


def export_decisions(out: Path = typer.Argument(..., help="Output file (.jsonl).")) -> None:
    """Write every two-reviewer confirmation and every dismissal as a labelled example (audited)."""
    rt = runtime()
    out.parent.mkdir(parents=True, exist_ok=True)
    with rt.session() as session, out.open("w", encoding="utf-8") as fh:
        count = decisions_export.export(session, fh, current_actor())
    console.print(f"{count} labelled decisions written to {out}", markup=False)
