"""``netral report``: evidence from closed platforms (WhatsApp, Instagram, TikTok, Facebook profiles)."""

from __future__ import annotations

from pathlib import Path

import typer

from core.intake import add_report
from pipelines.cli.runtime import console, current_actor, runtime

app = typer.Typer(help="Reports from closed platforms: URL, screenshots (OCR'd) and a note.",
                  no_args_is_help=True)


@app.command("add")
def add(
    employee: str = typer.Option(..., "--employee", help="The employee's NIP / NI PPPK / staff number."),
    url: str | None = typer.Option(
        None, "--url", help="Link to the post or message (fetched and archived if reachable)."),
    screenshot: list[Path] = typer.Option(
        [], "--screenshot", help="Screenshot file (PNG/JPEG...); repeat for several."),
    note: str = typer.Option("", "--note", help="What was seen, by whom, where."),
    platform: str | None = typer.Option(None, "--platform", help="whatsapp, instagram, tiktok, facebook... "
                                 "(default: recognised from the URL)."),
) -> None:
    """Archive, OCR and store a report about an employee; nothing is written if any input is wrong."""
    rt = runtime()
    with rt.session() as session:
        item = add_report(session, rt.settings, employee_number=employee, url=url, screenshots=screenshot,
                          note=note, actor=current_actor(), platform=platform)
        item_id, words = item.id, len(item.text.split())
        status = item.extra.get("url_status")
    console.print(f"report stored: content item {item_id} ({words} words of OCR text)"
                  + (f"; URL {status}" if status else ""), markup=False)
