"""The triage queue: filtered list in priority order, "Ambil berikutnya" and bulk dismiss."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import ImmutableMultiDict

from core import cases
from core.models import Case, CaseStatus, Contest, Employee, Platform, User, ViolationType
from core.recusal import ensure_not_recused
from core.settings import Settings
from review_ui.deps import ALL_ROLES, CASE_READERS, DECIDERS, get_db, get_settings, require
from review_ui.messages import done_message, workflow_message
from review_ui.queue import ORDERS, QueueFilter, list_page, progress, take_next
from review_ui.routes.auth import home_for
from review_ui.templating import gettext_for, render

router = APIRouter()


def _num(value: str | None, kind: type[int] | type[float]) -> int | float | None:
    try:
        return kind(value) if value not in (None, "") else None
    except ValueError:
        return None


def parse_filter(params: ImmutableMultiDict[str, str] | dict[str, str]) -> QueueFilter:
    """Read the queue filters from a query string (bad numbers are ignored, not errors)."""
    get = params.get
    pair = _num(get("pair"), int)
    page = _num(get("page"), int)
    return QueueFilter(
        status=get("status") or "open", platform=get("platform") or "", unit=get("unit") or "",
        code=get("code") or "", contest=get("contest") or "", pair=int(pair) if pair is not None else None,
        score_min=_num(get("score_min"), float), score_max=_num(get("score_max"), float),
        age_min=_int(get("age_min")), age_max=_int(get("age_max")),
        escalated=get("escalated") == "1", q=(get("q") or "")[:100], mine=get("mine") == "1",
        sort=str(get("sort")) if get("sort") in ORDERS else "priority", page=int(page) if page else 1)


def _int(value: str | None) -> int | None:
    n = _num(value, int)
    return int(n) if n is not None else None


@router.get("/")
def home(user: User = Depends(require(*ALL_ROLES))) -> Response:
    """Each role's start page."""
    return RedirectResponse(home_for(user), status_code=303)


@router.get("/queue")
def queue(request: Request, user: User = Depends(require(*CASE_READERS)), db: Session = Depends(get_db),
          settings: Settings = Depends(get_settings)) -> Response:
    """The queue page; htmx filter changes get only the table."""
    f = parse_filter(request.query_params)
    page = list_page(db, f, user, settings)
    _ = gettext_for(request)
    ctx = {"page": page, "f": f, "statuses": [s.value for s in CaseStatus],
           "platforms": [p.value for p in Platform],
           "units": list(db.scalars(select(Employee.unit).distinct().order_by(Employee.unit))),
           "codes": list(db.scalars(select(ViolationType.code).order_by(ViolationType.code))),
           "contests": list(db.scalars(select(Contest).order_by(Contest.election_id, Contest.position))),
           "can_decide": user.role in DECIDERS, "done": done_message(_, request.query_params.get("done")),
           "empty": request.query_params.get("empty") == "1", "args": f.query_args(),
           "progress": progress(db, user, settings)}
    if request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
        return render(request, "_queue_table.html", ctx)
    return render(request, "queue.html", ctx)


@router.post("/queue/next")
async def next_case(request: Request, user: User = Depends(require(*DECIDERS)), db: Session = Depends(get_db),
                    settings: Settings = Depends(get_settings)) -> Response:
    """"Ambil berikutnya": claim the highest-priority case this reviewer may take (with the filters)."""
    form = await request.form()
    f = parse_filter({k: v for k, v in form.items() if isinstance(v, str)})
    case = take_next(db, user, settings, f)
    db.commit()
    if case is None:
        return RedirectResponse("/queue?empty=1", status_code=303)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/queue/bulk-dismiss")
async def bulk_dismiss(request: Request, user: User = Depends(require(*DECIDERS)),
                       db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Dismiss every selected case with one reason (all or nothing); each selection names the version of the
    case the queue showed (``id:version``), so a case changed meanwhile refuses the whole dismissal."""
    form = await request.form()
    reason = str(form.get("reason") or "")
    picked: dict[int, int | None] = {}
    for value in form.getlist("case_id"):
        if isinstance(value, str):
            cid, _sep, version = value.partition(":")
            if cid.isdigit():
                picked[int(cid)] = int(version) if version.isdigit() else None
    _ = gettext_for(request)
    try:
        if not picked:
            raise cases.MissingInput("no case selected", "selection")
        for case in list(db.scalars(select(Case).where(Case.id.in_(list(picked))).order_by(Case.id))):
            ensure_not_recused(case, user, settings)
            cases.dismiss(db, case, user, reason, version=picked[case.id])
    except cases.WorkflowError as exc:
        db.rollback()
        message = (_("Select at least one case.") if isinstance(exc, cases.MissingInput)
                   and exc.key == "selection" else workflow_message(_, exc))
        f = parse_filter(request.query_params)
        page = list_page(db, f, user, settings)
        return render(request, "queue.html", {
            "page": page, "f": f, "statuses": [s.value for s in CaseStatus],
            "platforms": [p.value for p in Platform], "units": [], "codes": [], "contests": [], "can_decide": True,
            "error": message, "args": f.query_args(), "done": None, "empty": False,
            "progress": progress(db, user, settings)},
            status_code=exc.http_status)
    db.commit()
    return RedirectResponse("/queue?done=bulk", status_code=303)
