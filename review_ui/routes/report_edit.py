"""Editing a draft desk report: a section's paragraphs, its entries (htmx forms) and attachments.

A refused save answers with the same form, the typed values kept and the refused field named and marked
(``aria-invalid``), so nothing typed is lost — also when someone else saved first (version check). htmx
swaps only 2xx answers, so an htmx request gets 200 with the error inside; a plain form post gets 422/409.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from core.reports import archive, editing
from core.reports.errors import ReportError
from core.settings import Settings
from review_ui.deps import get_db, get_settings, require
from review_ui.report_text import message
from review_ui.routes.report_pages import WRITERS, load, report_page
from review_ui.templating import gettext_for, render

router = APIRouter()


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _status(request: Request, exc: ReportError | None) -> int:
    if exc is None or _htmx(request):
        return 200
    return exc.http_status


def _entry_form(request: Request, report_id: int, number: int, values: dict[str, Any], entry_id: int | None,
                version: int | None, exc: ReportError | None = None, done: bool = False) -> Response:
    _ = gettext_for(request)
    return render(request, "_desk_entry.html", {
        "report_id": report_id, "number": number, "e": values, "entry_id": entry_id, "version": version,
        "error": message(_, exc) if exc else None, "bad": exc.field if exc else None, "done": done,
        "can_edit": True, "attachments": values.get("attachments", [])}, status_code=_status(request, exc))


@router.post("/desk/reports/{report_id}/sections/{number}")
def save_section(request: Request, report_id: int, number: int, text: str = Form(""), version: int = Form(0),
                 user: Any = Depends(require(*WRITERS)), db: Session = Depends(get_db)) -> Response:
    """Replace the paragraphs of one section (version-checked)."""
    _ = gettext_for(request)
    report = load(db, report_id)
    exc: ReportError | None = None
    try:
        editing.save_section(db, report, number, text, version, user.username)
        db.commit()
        version = editing.section(report, number).version
    except ReportError as err:
        db.rollback()
        exc = err
    return render(request, "_desk_section_text.html", {
        "report_id": report_id, "number": number, "text": text, "version": version,
        "error": message(_, exc) if exc else None, "done": exc is None}, status_code=_status(request, exc))


def _form_values(form: dict[str, str]) -> dict[str, Any]:
    keys = ("activity", "on_date", "place", "unit", "indicators", "problems", "solutions", "status")
    return {k: form.get(k, "") for k in keys}


@router.post("/desk/reports/{report_id}/sections/{number}/entries")
async def save_entry(request: Request, report_id: int, number: int, user: Any = Depends(require(*WRITERS)),
                     db: Session = Depends(get_db)) -> Response:
    """Add an entry (no ``entry_id``) or update one; a refused form comes back as typed."""
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    entry_id = int(raw["entry_id"]) if raw.get("entry_id", "").isdigit() else None
    version = int(raw["version"]) if raw.get("version", "").isdigit() else None
    values = _form_values(raw)
    report = load(db, report_id)
    try:
        data = editing.parse_entry(raw)
        entry = editing.save_entry(db, report, number, entry_id, data, version, user.username)
        db.commit()
    except ReportError as exc:
        db.rollback()
        if entry_id is not None:
            values["attachments"] = [{"filename": a.filename, "sha256": a.evidence.sha256}
                                     for a in editing.entry_of(load(db, report_id), entry_id).attachments]
        return _entry_form(request, report_id, number, values, entry_id, version, exc)
    # A new entry: load the page again with it and a fresh form. The query names the entry so the URL differs
    # from the page's own: a change of fragment alone would not reload the page.
    again = f"/desk/reports/{report_id}?done=saved&entry={entry.id}#entry-{entry.id}"
    if entry_id is None and _htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": again})
    if entry_id is None:
        return RedirectResponse(again, status_code=303)
    values = {"activity": entry.activity, "on_date": entry.on_date.isoformat() if entry.on_date else "",
              "place": entry.place, "unit": entry.unit, "indicators": editing.indicators_text(entry.indicators),
              "problems": entry.problems, "solutions": entry.solutions, "status": entry.status,
              "attachments": [{"filename": a.filename, "sha256": a.evidence.sha256} for a in entry.attachments]}
    return _entry_form(request, report_id, number, values, entry.id, entry.version, done=True)


@router.post("/desk/reports/{report_id}/entries/{entry_id}/delete")
def delete_entry(request: Request, report_id: int, entry_id: int, user: Any = Depends(require(*WRITERS)),
                 db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Remove an entry of a draft."""
    _ = gettext_for(request)
    report = load(db, report_id)
    try:
        editing.delete_entry(db, report, entry_id, user.username)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc), status_code=409)
    db.commit()
    return RedirectResponse(f"/desk/reports/{report_id}?done=saved", status_code=303)


@router.post("/desk/reports/{report_id}/entries/{entry_id}/attachments")
async def attach(request: Request, report_id: int, entry_id: int, file: UploadFile | None = File(None),
                 user: Any = Depends(require(*WRITERS)), db: Session = Depends(get_db),
                 settings: Settings = Depends(get_settings)) -> Response:
    """Archive a PDF/JPEG/PNG (type, size and magic checked; nothing stored when refused)."""
    _ = gettext_for(request)
    report = load(db, report_id)
    limit = settings.desk_attachment_max_bytes
    data = await file.read(limit + 1) if file is not None else b""
    try:
        archive.attach(db, settings, report, entry_id, file.filename or "" if file else "", data, user.username)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc),
                           status_code=exc.http_status)
    db.commit()
    return RedirectResponse(f"/desk/reports/{report_id}?done=saved#entry-{entry_id}", status_code=303)
