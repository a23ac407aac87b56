"""``netral scan``, ``netral flows``, ``netral purge``, ``netral retrain``: run the flows."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import typer
from rich.table import Table

from core.registry.queries import get_election, scheduled_elections
from pipelines.cli.runtime import console, runtime
from pipelines.prefect_env import configure_prefect

flows_app = typer.Typer(help="Scheduled flows: serve them (one machine) or deploy them to a work pool.",
                        no_args_is_help=True)


class StageEcho(logging.Handler):
    """Shows the scan's stage messages as they happen (the progress display of `netral scan --now`)."""

    def emit(self, record: logging.LogRecord) -> None:
        console.print(f"[dim]{record.asctime if hasattr(record, 'asctime') else ''}[/dim]» {record.getMessage()}",
                      markup=True, highlight=False)


def print_summary(result: dict[str, Any]) -> None:
    """The scan summary: per platform, then classification, assessment and cases."""
    table = Table("Platform", "Accounts", "Campaign accounts", "Items", "Errors", "Shards", "Seconds")
    for platform, row in result["platforms"].items():
        table.add_row(platform, str(row["accounts"]), str(row["campaign_accounts"]), str(row["items"]),
                      str(row["errors"]), str(row["shards"]), f"{row['seconds']:.1f}")
    for platform, reason in result["skipped"].items():
        table.add_row(platform, "-", "-", "-", "-", "skipped", reason)
    console.print(table)
    console.print(f"classified {result['classified']} new item(s) ({result['campaign_items']} campaign) with "
                  f"{result['model_version']}; assessed {result['assessed']} interaction(s), "
                  f"{result['flagged']} met a rule")
    console.print(f"incidents: {result.get('new_incidents', 0)} new; cases (one per person and Pilkada): "
                  f"{len(result['new_cases'])} new, {len(result['updated_cases'])} with new or changed incidents "
                  f"(scan run #{result['scan_run_id']})" + ("; digest e-mailed" if result["digest_sent"] else ""))


def scan(
    now: bool = typer.Option(False, "--now", help="Run one scan now, in this process."),
    election: str = typer.Option(None, help="Election id (default: the newest imported)."),
    platform: list[str] = typer.Option(None, "--platform", help="Only these platforms (repeatable)."),
    shards: int = typer.Option(None, help="Split each platform's accounts into N shards (default: setting)."),
    since: str = typer.Option(None, help="Backfill from this date (YYYY-MM-DD) instead of the cursors."),
) -> None:
    """Run the nightly scan once (`--now`); scheduled scans run under `netral flows serve`."""
    if not now:
        console.print("use `netral scan --now` to scan now, or `netral flows serve` for the nightly schedule")
        raise typer.Exit(2)
    rt = runtime()
    with rt.session() as session:
        slug = get_election(session, election).slug
    if since:
        date.fromisoformat(since)
    configure_prefect(rt.settings)
    from pipelines.scan import nightly_scan

    echo = StageEcho(level=logging.INFO)
    watched = [logging.getLogger(n) for n in ("pipelines.scan", "pipelines.classify", "pipelines.assess")]
    for logger in watched:
        logger.addHandler(echo)
        logger.setLevel(logging.INFO)
    try:
        console.rule(f"nightly scan: {slug}")
        result = nightly_scan(election=slug, platforms=platform or None,
                              shards=shards or rt.settings.scan_shards, since=since)
    finally:
        for logger in watched:
            logger.removeHandler(echo)
    print_summary(result)


@flows_app.command("serve")
def serve(election: str = typer.Option(None, help="Only this election (default: every active one)."),
          distributed: bool = typer.Option(False, help="Run crawl shards as separate flow runs.")) -> None:
    """Serve a nightly scan per active Pilkada, the weekly retrain and the daily purge (blocks)."""
    rt = runtime()
    with rt.session() as session:
        elections = scheduled_elections(session, election)
    configure_prefect(rt.settings)
    from prefect import serve as prefect_serve

    from pipelines.deployments import build

    deployments = build(rt.settings, elections, distributed=distributed)
    scanned = ", ".join(f"{slug} ({tz})" for slug, tz in elections)
    console.print(f"serving {', '.join(d.name for d in deployments)} for {scanned}; Ctrl-C stops")
    prefect_serve(*deployments)


@flows_app.command("deploy")
def deploy(work_pool: str = typer.Option(..., help="Prefect process work pool the workers listen on."),
           election: str = typer.Option(None, help="Only this election (default: every active one).")) -> None:
    """Register the deployments with the Prefect server (PREFECT_API_URL) for a work pool."""
    rt = runtime()
    with rt.session() as session:
        elections = scheduled_elections(session, election)
    configure_prefect(rt.settings)
    from pipelines.deployments import build

    for deployment in build(rt.settings, elections, distributed=True, work_pool=work_pool):
        deployment_id = deployment.apply(work_pool_name=work_pool)
        console.print(f"deployed {deployment.flow_name}/{deployment.name} → pool {work_pool} ({deployment_id})")


def purge(days: int = typer.Option(None, help="Retention in days (default: NETRAL_RETENTION_DAYS)."),
          dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; delete nothing.")) -> None:
    """Purge collected material older than the retention period that no case needs (audited)."""
    rt = runtime()
    rt.require_current_schema()
    configure_prefect(rt.settings)
    from pipelines.retention import purge_task

    result = purge_task.fn(days, dry_run)
    verb = "would remove" if dry_run else "removed"
    console.print(f"{verb}: {result['interactions']} interaction(s), {result['content_items']} content item(s), "
                  f"{result['evidence']} evidence file(s) fetched before {result['cutoff']}")


def retrain_cmd(force: bool = typer.Option(False, help="Promote even if not better (audited)."),
                corpus: str = typer.Option(None, help="Corpus directory (default: the shipped corpus).")) -> None:
    """Retrain on corpus + reviewer decisions; the new model becomes active only if not worse."""
    rt = runtime()
    rt.require_current_schema()
    configure_prefect(rt.settings)
    from pipelines.retrain import retrain_task

    result = retrain_task.fn(corpus, force)
    console.print(f"candidate {result['candidate']}: {result['candidate_scores']} vs active "
                  f"{result['active_before']}: {result['active_scores']} → "
                  f"{'promoted' if result['promoted'] else 'not promoted'}")
