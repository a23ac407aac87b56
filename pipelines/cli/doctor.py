"""``netral doctor``: one line per check of the installation; exit 1 when something needed is missing."""

from __future__ import annotations

import os

import typer

from pipelines.cli.runtime import console

MARK = {"ok": "[green]ok  [/green]", "warn": "[yellow]warn[/yellow]", "fail": "[red]FAIL[/red]"}


def doctor(online: bool = typer.Option(False, "--online", help="Also send a harmless GET to each platform API "
                                                                "that has accounts to crawl.")) -> None:
    """Check database, evidence store, secret key, platform credentials, OCR, PDF, SMTP and Prefect."""
    from core.settings import get_settings
    from pipelines.doctor import run_checks

    checks = run_checks(get_settings(), online=online, prefect_api_url=os.environ.get("PREFECT_API_URL") or None)
    width = max(len(c.name) for c in checks)
    for check in checks:
        console.print(f"{MARK[check.status]} {check.name.ljust(width)}  {check.detail}", markup=True, highlight=False)
    failed = [c.name for c in checks if c.status == "fail"]
    if failed:
        console.print(f"{len(failed)} check(s) failed: {', '.join(failed)}", markup=False)
        raise typer.Exit(1)
    console.print("everything needed is in place", markup=False)
