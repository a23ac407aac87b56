"""Desk Pilkada report pages: list, create, view/edit page, preview, finalise, new version, downloads.

Roles: ``desk`` and ``admin`` write; ``auditor`` reads (the same pages without forms); a reviewer has no
business here. A desk user never sees a person: the annex and the confirmed-case list come from
:mod:`core.reports.case_source` rows, which hold no name, NIP or handle. The annex with names is a
separate admin-only download, audited as such. Each act is one transaction; core.reports audits it.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.models import DeskReport, Election, Role, User
from core.reports import case_source, content, editing, exporting
from core.reports.errors import ReportError
from core.settings import Settings
from review_ui.deps import get_db, get_settings, require
from review_ui.report_text import message
from review_ui.templating import gettext_for, render

router = APIRouter()
WRITERS = (Role.ADMIN, Role.DESK)
READERS = (Role.ADMIN, Role.DESK, Role.AUDITOR)
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def load(db: Session, report_id: int) -> DeskReport:
    """The report, or 404."""
    return editing.get_report(db, report_id)


def report_page(request: Request, db: Session, settings: Settings, report: DeskReport, *,
                error: str | None = None, done: str | None = None, status_code: int = 200) -> Response:
    """The report's page: every section with its forms (drafts, writers) or text (final, auditor)."""
    election = db.get(Election, report.election_id)
    data = content.build(db, settings, report)
    return render(request, "desk_report.html", {
        "report": report, "election": election, "data": data, "error": error, "done": done,
        "can_edit": request.state.user.role in WRITERS and report.status == "draft",
        "indicators_text": editing.indicators_text}, status_code=status_code)


def _list(request: Request, db: Session, error: str | None = None, form: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    elections = list(db.scalars(select(Election).order_by(Election.id.desc())))
    return render(request, "desk_reports.html", {
        "reports": editing.reports_of(db), "elections": elections, "error": error, "form": form or {},
        "elections_by_id": {e.id: e for e in elections}}, status_code=status_code)


@router.get("/desk/reports")
def reports(request: Request, user: User = Depends(require(*READERS)), db: Session = Depends(get_db)) -> Response:
    """Every report, newest first, and (writers) the form to start one."""
    return _list(request, db)


@router.post("/desk/reports")
def create(request: Request, election: str = Form(""), title: str = Form(""), period_start: str = Form(""),
           period_end: str = Form(""), chair_name: str = Form(""), chair_nip: str = Form(""),
           sign_place: str = Form(""), user: User = Depends(require(*WRITERS)),
           db: Session = Depends(get_db)) -> Response:
    """A new draft with its ten sections (section 8 filled with the election's stages)."""
    _ = gettext_for(request)
    form = {"election": election, "title": title, "period_start": period_start, "period_end": period_end,
            "chair_name": chair_name, "chair_nip": chair_nip, "sign_place": sign_place}
    el = db.scalar(select(Election).where(Election.slug == election))
    if el is None:
        return _list(request, db, _("Election: choose the election the report is about."), form, 422)
    try:
        report = editing.create_report(db, el, title, period_start, period_end, user.username,
                                       chair_name=chair_name, chair_nip=chair_nip, sign_place=sign_place)
    except ReportError as exc:
        db.rollback()
        return _list(request, db, message(_, exc), form, 422)
    db.commit()
    return RedirectResponse(f"/desk/reports/{report.id}", status_code=303)


@router.get("/desk/reports/{report_id}")
def report_view(request: Request, report_id: int, user: User = Depends(require(*READERS)),
                db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The report with its sections, entries, section 9 and the annex."""
    _ = gettext_for(request)
    done = {"finalised": _("The report is final. Its exports and their SHA-256 are kept."),
            "case": _("The case is in the annex."), "saved": _("Saved.")}.get(request.query_params.get("done", ""))
    return report_page(request, db, settings, load(db, report_id), done=done)


@router.get("/desk/reports/{report_id}/preview")
def preview(request: Request, report_id: int, user: User = Depends(require(*READERS)),
            db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The whole report as one page, as the exports will show it."""
    report = load(db, report_id)
    return render(request, "desk_preview.html", {"report": report, "data": content.build(db, settings, report)})


@router.post("/desk/reports/{report_id}/finalise")
def finalise(request: Request, report_id: int, user: User = Depends(require(*WRITERS)),
             db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Freeze the report: snapshot, DOCX/PDF/XLSX kept with their SHA-256, audited."""
    _ = gettext_for(request)
    report = load(db, report_id)
    try:
        exporting.finalise(db, settings, report, user.username)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc), status_code=409)
    db.commit()
    return RedirectResponse(f"/desk/reports/{report_id}?done=finalised", status_code=303)


@router.post("/desk/reports/{report_id}/new-version")
def new_version(request: Request, report_id: int, user: User = Depends(require(*WRITERS)),
                db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """A new draft that supersedes a final report (copies its sections, entries and annex)."""
    _ = gettext_for(request)
    old = load(db, report_id)
    election = db.get(Election, old.election_id)
    assert election is not None
    try:
        new = editing.create_report(db, election, old.title, old.period_start.isoformat(),
                                    old.period_end.isoformat(), user.username, chair_name=old.chair_name,
                                    chair_nip=old.chair_nip, sign_place=old.sign_place, supersedes=old)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc), status_code=409)
    db.commit()
    return RedirectResponse(f"/desk/reports/{new.id}", status_code=303)


def _download(request: Request, db: Session, settings: Settings, report_id: int, fmt: str, user: User,
              named: bool) -> Response:
    _ = gettext_for(request)
    report = load(db, report_id)
    if fmt not in exporting.FORMATS:
        raise NotFound(f"format {fmt}")
    try:
        file = exporting.export(db, settings, report, fmt, user.username, user.role, named=named)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc), status_code=409)
    db.commit()
    stem = _SAFE.sub("-", f"laporan-desk-{report.id}-{report.status}{'-bernama' if named else ''}")
    return Response(file.data, media_type=file.media_type, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{fmt}"', "X-Content-SHA256": file.sha256,
        "Cache-Control": "no-store"})


@router.get("/desk/reports/{report_id}/export/{fmt}")
def download(request: Request, report_id: int, fmt: str, user: User = Depends(require(*READERS)),
             db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """DOCX, PDF or XLSX without names (a final report's frozen file); audited with its SHA-256."""
    return _download(request, db, settings, report_id, fmt, user, False)


@router.get("/desk/reports/{report_id}/export/{fmt}/named")
def download_named(request: Request, report_id: int, fmt: str, user: User = Depends(require(Role.ADMIN)),
                   db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The export with the annex naming each case's employee (admins only; audited as named)."""
    return _download(request, db, settings, report_id, fmt, user, True)


@router.get("/desk/reports/{report_id}/cases")
def confirmed(request: Request, report_id: int, user: User = Depends(require(*READERS)),
              db: Session = Depends(get_db)) -> Response:
    """The election's confirmed cases (no person shown), each with "add to report"."""
    report = load(db, report_id)
    election = db.get(Election, report.election_id)
    assert election is not None
    rows = case_source.confirmed_cases(db, election)
    return render(request, "desk_cases.html", {
        "report": report, "rows": rows, "in_annex": {c.case_id for c in report.cases},
        "can_edit": user.role in WRITERS and report.status == "draft"})


@router.post("/desk/reports/{report_id}/cases")
def add_case(request: Request, report_id: int, case_id: int = Form(0), back: str = Form(""),
             user: User = Depends(require(*WRITERS)), db: Session = Depends(get_db),
             settings: Settings = Depends(get_settings)) -> Response:
    """Put a confirmed case in the annex ("Tambahkan ke laporan")."""
    _ = gettext_for(request)
    report = load(db, report_id)
    try:
        editing.add_case(db, report, case_id, user.username)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc), status_code=409)
    db.commit()
    target = f"/cases/{case_id}?done=desk_case" if back == "case" else f"/desk/reports/{report_id}?done=case#annex"
    return RedirectResponse(target, status_code=303)


@router.post("/desk/reports/{report_id}/cases/{case_id}/remove")
def remove_case(request: Request, report_id: int, case_id: int, user: User = Depends(require(*WRITERS)),
                db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Take a case out of the annex of a draft."""
    _ = gettext_for(request)
    report = load(db, report_id)
    try:
        editing.remove_case(db, report, case_id, user.username)
    except ReportError as exc:
        db.rollback()
        return report_page(request, db, settings, load(db, report_id), error=message(_, exc), status_code=409)
    db.commit()
    return RedirectResponse(f"/desk/reports/{report_id}#annex", status_code=303)
