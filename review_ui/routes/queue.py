"""The triage queue: filtered list in priority order, "Ambil berikutnya" and bulk dismiss."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import ImmutableMultiDict

from core import cases
from core.case_rules import OPEN, expect
from core.models import Case, CaseStatus, Contest, Employee, Platform, User, ViolationType
from core.recusal import ensure_not_recused
from core.reports.case_source import case_numbers
from core.settings import Settings
from review_ui.banner import banner
from review_ui.deps import ALL_ROLES, CASE_READERS, DECIDERS, get_db, get_settings, require
from review_ui.messages import workflow_message
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
           "can_decide": user.role in DECIDERS, "done": banner(request, db, settings),
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


def _picked(values: list[str]) -> dict[int, int | None]:
    """``id:version`` selections from the form (anything else is ignored)."""
    picked: dict[int, int | None] = {}
    for value in values:
        cid, _sep, version = value.partition(":")
        if cid.isdigit():
            picked[int(cid)] = int(version) if version.isdigit() else None
    return picked


def _precheck(db: Session, case: Case, version: int | None, user: User, settings: Settings) -> None:
    """The refusals the confirmation page can already give without writing (the dismissal itself checks
    every rule again: claims, four eyes, versions, recusal)."""
    ensure_not_recused(case, user, settings)
    expect(db, case, version)
    if case.status not in OPEN:
        raise cases.InvalidTransition(f"case {case.id} is {case.status}, not awaiting a triage decision")


@router.post("/queue/bulk-dismiss")
async def bulk_dismiss(request: Request, user: User = Depends(require(*DECIDERS)),
                       db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Dismiss the selected cases with one reason, in two steps (all or nothing).

    The first POST changes nothing: it answers a confirmation page stating how many cases will not be
    continued, by case number only (blind cases stay blind), with the reason. Only a second POST with
    ``confirm=1`` and ``confirmed`` (the exact ids the page listed) dismisses, and only when the selection is
    exactly that list, so nothing can be added between the two steps. Each selection names the version of
    the case the queue showed (``id:version``); a case changed meanwhile refuses the whole dismissal."""
    form = await request.form()
    reason = str(form.get("reason") or "").strip()
    picked = _picked([v for v in form.getlist("case_id") if isinstance(v, str)])
    confirming = form.get("confirm") == "1"
    confirmed = {int(x) for x in str(form.get("confirmed") or "").split(",") if x.strip().isdigit()}
    _ = gettext_for(request)
    try:
        if not picked:
            raise cases.MissingInput("no case selected", "selection")
        if not reason:
            raise cases.MissingInput("a reason is required to dismiss a case", "reason")
        if confirming and confirmed != set(picked):
            raise cases.MissingInput("the selection differs from the confirmed list", "confirmed")
        found = list(db.scalars(select(Case).where(Case.id.in_(list(picked))).order_by(Case.id)))
        if len(found) != len(picked):
            raise cases.InvalidTransition("a selected case does not exist")
        if not confirming:
            for case in found:
                _precheck(db, case, picked[case.id], user, settings)
            numbers = case_numbers(db, [c.id for c in found], settings.default_timezone)
            return render(request, "queue_bulk_confirm.html", {
                "rows": [(c.id, picked[c.id], numbers[c.id]) for c in found], "reason": reason,
                "confirmed": ",".join(str(c.id) for c in found)})
        for case in found:
            ensure_not_recused(case, user, settings)
            cases.dismiss(db, case, user, reason, version=picked[case.id])
    except cases.WorkflowError as exc:
        db.rollback()
        message = {"selection": _("Select at least one case."),
                   "confirmed": _("The selection is not the list you confirmed; nothing was changed. Select "
                                  "the cases again.")}.get(getattr(exc, "key", ""), "") or workflow_message(_, exc)
        f = parse_filter(request.query_params)
        page = list_page(db, f, user, settings)
        return render(request, "queue.html", {
            "page": page, "f": f, "statuses": [s.value for s in CaseStatus],
            "platforms": [p.value for p in Platform], "units": [], "codes": [], "contests": [], "can_decide": True,
            "error": message, "args": f.query_args(), "done": None, "empty": False,
            "progress": progress(db, user, settings)},
            status_code=exc.http_status)
    db.commit()
    return RedirectResponse(f"/queue?done=bulk&n={len(found)}", status_code=303)
