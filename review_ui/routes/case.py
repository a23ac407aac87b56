"""The case page and every decision on it: claim, confirm (four eyes), dismiss, escalate, due process.

Each POST is one use case: load, call :mod:`core.cases`, commit, redirect (``next=1`` means "Simpan &
lanjut": take the next case from the queue). Refusals from the workflow re-render the page with the
reason in the user's language and the workflow's HTTP status.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, joinedload

from core import cases
from core.errors import NotFound
from core.models import Case, ContentItem, User
from core.settings import Settings
from review_ui import case_view
from review_ui.deps import CASE_READERS, DECIDERS, get_db, get_settings, require
from review_ui.messages import workflow_message
from review_ui.queue import take_next
from review_ui.templating import gettext_for, render

router = APIRouter()


def _case(db: Session, case_id: int) -> Case:
    case = db.get(Case, case_id, options=[joinedload(Case.employee), joinedload(Case.target_content)
                                          .joinedload(ContentItem.evidence)])
    if case is None:
        raise NotFound(f"case {case_id}")
    return case


def _page(request: Request, db: Session, case: Case, user: User, settings: Settings,
          error: str | None = None, status_code: int = 200) -> Response:
    ctx = case_view.load(db, case, settings)
    cases.record_view(db, case, user, identity_shown=not ctx.identity_hidden)
    db.commit()
    done = request.query_params.get("done")
    return render(request, "case.html", {"c": ctx, "error": error, "done": done,
                                         "can_decide": user.role in DECIDERS}, status_code=status_code)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, user: User = Depends(require(*CASE_READERS)),
              db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The case with both ends, evidence, reasons, codes and history (the view is audited)."""
    return _page(request, db, _case(db, case_id), user, settings)


def _after(request: Request, db: Session, case: Case, user: User, settings: Settings, done: str,
           go_next: bool) -> Response:
    """Commit the decision, then show the case again or take the next one."""
    db.commit()
    if go_next:
        nxt = take_next(db, user, settings)
        db.commit()
        if nxt is not None:
            return RedirectResponse(f"/cases/{nxt.id}?done={done}", status_code=303)
        return RedirectResponse(f"/queue?done={done}&empty=1", status_code=303)
    return RedirectResponse(f"/cases/{case.id}?done={done}", status_code=303)


def _refused(request: Request, db: Session, case_id: int, user: User, settings: Settings,
             exc: cases.WorkflowError) -> Response:
    db.rollback()
    message = workflow_message(gettext_for(request), exc)
    return _page(request, db, _case(db, case_id), user, settings, error=message, status_code=exc.http_status)


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
    """Give the case back to the queue."""
    case = _case(db, case_id)
    cases.release(db, case, user)
    return _after(request, db, case, user, settings, "released", False)


@router.post("/cases/{case_id}/confirm")
def confirm(request: Request, case_id: int, note: str = Form(""), next: str = Form(""),
            user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
            settings: Settings = Depends(get_settings)) -> Response:
    """First or second confirmation (four eyes)."""
    case = _case(db, case_id)
    try:
        status = cases.confirm(db, case, user, settings, note=note or None)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, str(status), bool(next))


@router.post("/cases/{case_id}/dismiss")
def dismiss(request: Request, case_id: int, reason: str = Form(""), next: str = Form(""),
            user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
            settings: Settings = Depends(get_settings)) -> Response:
    """Dismiss with a required reason."""
    case = _case(db, case_id)
    try:
        cases.dismiss(db, case, user, reason)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, "dismissed", bool(next))


@router.post("/cases/{case_id}/escalate")
def escalate(request: Request, case_id: int, note: str = Form(""), next: str = Form(""),
             user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
             settings: Settings = Depends(get_settings)) -> Response:
    """Flag for a senior decision (the case stays open)."""
    case = _case(db, case_id)
    try:
        cases.escalate(db, case, user, note or None)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, "escalated", bool(next))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.post("/cases/{case_id}/advance")
def advance(request: Request, case_id: int, action: str = Form(""), reference: str = Form(""),
            on: str = Form(""), to: str = Form(""), examination_on: str = Form(""), track: str = Form(""),
            level: str = Form(""), note: str = Form(""), user: User = Depends(require(*DECIDERS)),
            db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """A due-process step after confirmation, with its reference number and dates."""
    case = _case(db, case_id)
    try:
        cases.advance(db, case, user, action, settings, reference=reference or None, on=_date(on),
                      note=note or None, to=to or None, examination_on=_date(examination_on),
                      track=track or None, level=level or None)
    except cases.WorkflowError as exc:
        return _refused(request, db, case_id, user, settings, exc)
    return _after(request, db, case, user, settings, action, False)
