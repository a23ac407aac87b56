"""The case page and every decision on it: claim, judge its incidents (four eyes), confirm, dismiss,
escalate, a verdict on a target, due process.

Each POST is one use case: load, call :mod:`core.cases`, commit, redirect (``next=1`` means "Simpan &
lanjut": take the next case from the queue). Every decision form carries the case ``version`` the page
was rendered with; a decision on a replaced version is refused (409) with a message naming who changed
the case, and nothing changes. Refusals from the workflow re-render the page with the reason in the
user's language and the workflow's HTTP status.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core import cases, claims
from core.errors import NotFound
from core.models import Case, Incident, User
from core.recusal import ensure_not_recused
from core.settings import Settings
from review_ui import case_view
from review_ui.banner import banner
from review_ui.deps import CASE_READERS, DECIDERS, get_db, get_settings, require
from review_ui.messages import claim_refusal, workflow_message
from review_ui.queue import take_next
from review_ui.templating import gettext_for, render

router = APIRouter()


def _case(db: Session, case_id: int) -> Case:
    case = db.get(Case, case_id, options=[joinedload(Case.employee)])
    if case is None:
        raise NotFound(f"case {case_id}")
    return case


def _version(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def _page(request: Request, db: Session, case: Case, user: User, settings: Settings,
          error: str | None = None, status_code: int = 200, typed: dict[str, str] | None = None) -> Response:
    page = request.query_params.get("page", "1")
    ctx = case_view.load(db, case, settings, user, int(page) if page.isdigit() else 1)
    cases.record_view(db, case, user, identity_shown=not ctx.identity_hidden)
    db.commit()
    from review_ui.routes.case_dossier import draft_reports, referable

    return render(request, "case.html", {"c": ctx, "error": error, "done": banner(request, db, settings),
                                         "typed": typed or {},
                                         "can_decide": user.role in DECIDERS, "referable": referable(case),
                                         "desk_drafts": draft_reports(db, case, user)}, status_code=status_code)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, user: User = Depends(require(*CASE_READERS)),
              db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The case with its incidents, evidence, reasons, codes, marks and history (the view is audited).

    A case number from before one case per person and Pilkada leads to the case its incident joined."""
    case = db.get(Case, case_id)
    if case is None:
        legacy = db.scalar(select(Incident.case_id).where(Incident.legacy_case_id == case_id))
        if legacy is not None:
            return RedirectResponse(f"/cases/{legacy}", status_code=301)
    return _page(request, db, _case(db, case_id), user, settings)


def _after(request: Request, db: Session, case: Case, user: User, settings: Settings, done: str,
           go_next: bool) -> Response:
    """Commit the decision, then show the case again or take the next one."""
    db.commit()
    if go_next:
        nxt = take_next(db, user, settings)
        db.commit()
        if nxt is not None:
            return RedirectResponse(f"/cases/{nxt.id}?done={done}&decided={case.id}", status_code=303)
        return RedirectResponse(f"/queue?done={done}&decided={case.id}&empty=1", status_code=303)
    return RedirectResponse(f"/cases/{case.id}?done={done}", status_code=303)


def _refused(request: Request, db: Session, case_id: int, user: User, settings: Settings,
             exc: cases.WorkflowError, typed: dict[str, str] | None = None) -> Response:
    """The case page again with the refusal, keeping what the user typed into the refused form."""
    db.rollback()
    db.expire_all()
    message = workflow_message(gettext_for(request), exc)
    return _page(request, db, _case(db, case_id), user, settings, error=message, status_code=exc.http_status,
                 typed=typed)


@router.post("/cases/{case_id}/claim")
def claim(request: Request, case_id: int, user: User = Depends(require(*DECIDERS)),
          db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Hold the case for ``claim_minutes``."""
    case = _case(db, case_id)
    try:
        cases.claim(db, case, user, settings)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, "claimed", False)


@router.post("/cases/{case_id}/release")
def release(request: Request, case_id: int, user: User = Depends(require(*DECIDERS)),
            db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Give the case back to the queue: the holder's own claim, or anyone's for an administrator
    (:mod:`core.claims`); anyone else is told who holds it, and nothing changes."""
    case = _case(db, case_id)
    result = claims.release(db, case, user)
    if result.outcome == claims.HELD_BY_OTHER:
        db.rollback()
        return _page(request, db, case, user, settings, error=claim_refusal(gettext_for(request), result),
                     status_code=409)
    return _after(request, db, case, user, settings, result.outcome, False)


@router.post("/cases/{case_id}/judge")
async def judge(request: Request, case_id: int, user: User = Depends(require(*DECIDERS)),
                db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """One look at the case: ``mark_<incident>`` = proven / not_proven, ``reason_<incident>`` for the latter."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    marks = {int(k[5:]): cases.Mark(v, fields.get(f"reason_{k[5:]}") or None)
             for k, v in fields.items() if k.startswith("mark_") and k[5:].isdigit() and v}
    case = _case(db, case_id)
    try:
        status = cases.judge(db, case, user, settings, marks, version=_version(fields.get("version", "")),
                             note=fields.get("note") or None)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, str(status), bool(fields.get("next")))


@router.post("/cases/{case_id}/confirm")
def confirm(request: Request, case_id: int, note: str = Form(""), next: str = Form(""), version: str = Form(""),
            shown: str = Form(""), user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
            settings: Settings = Depends(get_settings)) -> Response:
    """Mark every incident of the current look that the page showed (``shown``) proven."""
    case = _case(db, case_id)
    only = {int(x) for x in shown.split(",") if x.strip().isdigit()} if shown else None
    try:
        status = cases.confirm(db, case, user, settings, note=note or None, version=_version(version), only=only)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, str(status), bool(next))


@router.post("/cases/{case_id}/dismiss")
def dismiss(request: Request, case_id: int, reason: str = Form(""), next: str = Form(""), version: str = Form(""),
            user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
            settings: Settings = Depends(get_settings)) -> Response:
    """Dismiss with a required reason (every open incident closed as not proven)."""
    case = _case(db, case_id)
    try:
        ensure_not_recused(case, user, settings)
        cases.dismiss(db, case, user, reason, version=_version(version))
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, "dismissed", bool(next))


@router.post("/cases/{case_id}/escalate")
def escalate(request: Request, case_id: int, note: str = Form(""), next: str = Form(""), version: str = Form(""),
             user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
             settings: Settings = Depends(get_settings)) -> Response:
    """Flag for a senior decision (the case stays open)."""
    case = _case(db, case_id)
    try:
        ensure_not_recused(case, user, settings)
        cases.escalate(db, case, user, note or None, version=_version(version))
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, "escalated", bool(next))


@router.post("/cases/{case_id}/verdict")
def verdict(request: Request, case_id: int, target_key: str = Form(""), verdict: str = Form(""),
            reason: str = Form(""), seen: str = Form(""), user: User = Depends(require(*DECIDERS)),
            db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """A ruling on one target for everyone who touched it, from the page of one of its cases."""
    case = _case(db, case_id)
    if not db.scalar(select(Incident.id).where(Incident.case_id == case.id, Incident.target_key == target_key)):
        raise NotFound(f"target {target_key} in case {case_id}")
    try:
        ensure_not_recused(case, user, settings)
        cases.rule_on_target(db, settings, target_key, user, verdict, reason, seen=case_view.parse_seen(seen))
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, f"verdict_{verdict}", False)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.post("/cases/{case_id}/advance")
def advance(request: Request, case_id: int, action: str = Form(""), reference: str = Form(""),
            on: str = Form(""), to: str = Form(""), examination_on: str = Form(""), track: str = Form(""),
            level: str = Form(""), note: str = Form(""), version: str = Form(""), issuer: str = Form(""),
            summary: str = Form(""), letter: UploadFile | None = File(None),
            user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
            settings: Settings = Depends(get_settings)) -> Response:
    """A due-process step after confirmation, with its reference number, dates and optional letter file."""
    case = _case(db, case_id)
    upload = None
    if letter is not None and letter.filename:
        upload = (letter.filename, letter.file.read(settings.desk_attachment_max_bytes + 1))
    try:
        cases.advance(db, case, user, action, settings, version=_version(version), reference=reference or None,
                      on=_date(on), note=note or None, to=to or None, examination_on=_date(examination_on),
                      track=track or None, level=level or None, issuer=issuer or None, summary=summary or None,
                      letter=upload)
    except cases.WorkflowError as exc:
        typed = {"action": action, "reference": reference, "on": on, "to": to, "examination_on": examination_on,
                 "track": track, "level": level, "note": note, "issuer": issuer, "summary": summary}
        return _refused(request, db, case_id, user, settings, exc, typed)
    return _after(request, db, case, user, settings, action, False)
