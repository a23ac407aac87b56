"""``netral crawl PLATFORM`` and ``netral evidence verify``: collection and its proof."""

from __future__ import annotations

from datetime import datetime

import typer

from core.evidence import EvidenceArchive, verify
from pipelines.cli.runtime import console, err_console, runtime

# The spider names, repeated here so that `netral --help` need not import scrapy (crawlers.runner does);
# tests/pipelines/test_cli_imports.py checks they equal crawlers.runner.SPIDERS.
PLATFORMS = ("bluesky", "mastodon", "youtube", "x", "facebook")

evidence_app = typer.Typer(help="The content-addressed evidence archive.", no_args_is_help=True)


def crawl(
    platform: str = typer.Argument(..., help=f"One of: {', '.join(PLATFORMS)}."),
    since: datetime | None = typer.Option(
        None, "--since", formats=["%Y-%m-%d"], help="Backfill: collect everything created since DATE (YYYY-MM-DD)."),
    election: str | None = typer.Option(None, "--election", help="Watch only this election's campaign accounts."),
) -> None:
    """Collect new public activity of registered and campaign accounts on PLATFORM (incremental)."""
    from crawlers.runner import run_crawl  # scrapy loads only for a crawl

    rt = runtime()
    rt.require_current_schema()
    outcome = run_crawl(platform, since=since.date() if since else None, election=election, settings=rt.settings)
    console.print(f"{platform}: run {outcome.run_id} {outcome.status} in {outcome.seconds:.1f}s, "
                  f"{outcome.new} new, {outcome.changed} changed, {outcome.unchanged} unchanged "
                  f"({outcome.items_stored} records stored), {outcome.errors} crawl errors", markup=False)
    if outcome.errors:
        err_console.print(f"{platform}: see the crawl errors of run {outcome.run_id} (each names what to fix)",
                          markup=False)
    nothing = outcome.status == "finished_with_errors" and outcome.items_stored == 0
    if outcome.status not in {"finished", "finished_with_errors"} or outcome.returncode != 0 or nothing:
        raise typer.Exit(1)


@evidence_app.command("verify")
def evidence_verify(
    remove_unreferenced: bool = typer.Option(
        False, "--remove-unreferenced",
        help="Delete archive files no evidence row names (left by a crawl killed before it committed)."),
) -> None:
    """Rehash every archived file; exit 1 if any is missing or no longer matches its hash.

    Files that no evidence row names (older than an hour) are listed too; they prove nothing and fail
    nothing."""
    rt = runtime()
    archive = EvidenceArchive(rt.settings.resolved_evidence_dir)
    with rt.session() as session:
        report = verify(session, archive)
    for problem in report.problems:
        err_console.print(str(problem), markup=False)
    for path in report.unreferenced:
        if remove_unreferenced:
            (archive.root / path).unlink(missing_ok=True)
        err_console.print(f"{path}: unreferenced{' (removed)' if remove_unreferenced else ''}", markup=False)
    if report.unreferenced:
        console.print(f"{len(report.unreferenced)} unreferenced files "
                      f"{'removed' if remove_unreferenced else '(no evidence row names them)'}", markup=False)
    if not report.ok:
        console.print(f"{len(report.problems)} of {report.checked} evidence files failed verification", markup=False)
        raise typer.Exit(1)
    console.print(f"evidence archive intact ({report.checked} files verified)", markup=False)
