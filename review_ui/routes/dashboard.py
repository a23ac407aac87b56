"""Dashboard: case counts by status group, violation code, platform, contest, unit and week, filtered by
election, period and unit, downloadable as CSV and XLSX — aggregates only.

A case is a person in a Pilkada, so these count persons: a case counts once under a code, platform or
contest when any of its incidents has it (a person with ten likes on one platform is one person there).
The incident total is shown beside. No names or NIPs appear here, so the Desk Pilkada role may see it
(domain.md §4, §6).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from core import audit
from core.models import User, utcnow
from review_ui import dashboard_data as dd
from review_ui.charts import legend, stacked, vbar
from review_ui.deps import ALL_ROLES, get_db, require
from review_ui.messages import dashboard_label
from review_ui.rule_text import platform_name
from review_ui.templating import gettext_for, render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labeller(request: Request) -> Callable[[str], str]:
    _ = gettext_for(request)
    return lambda key: dashboard_label(_, key)


@router.get("/dashboard")
def dashboard(request: Request, user: User = Depends(require(*ALL_ROLES)),
              db: Session = Depends(get_db)) -> Response:
    """Counts split by status group, and server-rendered SVG charts."""
    _ = gettext_for(request)
    label = _labeller(request)
    f = dd.DashboardFilters.parse(dict(request.query_params))
    data = dd.aggregates(db, f)
    names = [label(g) for g in dd.GROUPS]
    platforms = [(platform_name(k), v) for k, v in data.by["platform"]]
    charts = {
        "code": stacked(_("Cases by violation code"), data.by["code"], names),
        "platform": stacked(_("Cases by platform"), platforms, names),
        "contest": stacked(_("Cases by contest"), data.by["contest"], names),
        "unit": stacked(_("Cases by unit"), data.by["unit"], names),
        "week": vbar(_("Cases by week of detection"), [(k, sum(v)) for k, v in data.by["week"]]),
    }
    elections, units = dd.options(db)
    return render(request, "dashboard.html", {
        "charts": charts, "legend": legend(names), "data": data, "groups": list(zip(dd.GROUPS, names, strict=True)),
        "f": f, "elections": elections, "units": units})


def _download(request: Request, user: User, db: Session, kind: str) -> Response:
    label = _labeller(request)
    f = dd.DashboardFilters.parse(dict(request.query_params))
    data = dd.aggregates(db, f)
    body = dd.to_csv(data, label) if kind == "csv" else dd.to_xlsx(data, label, f.args())
    audit.record(db, user.username, "dashboard.export", object_type="dashboard", details={"format": kind, **f.args()})
    db.commit()
    name = f"netral-dasbor-{utcnow():%Y%m%d-%H%M}.{kind}"
    return Response(body, media_type="text/csv; charset=utf-8" if kind == "csv" else XLSX,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/dashboard.csv")
def dashboard_csv(request: Request, user: User = Depends(require(*ALL_ROLES)),
                  db: Session = Depends(get_db)) -> Response:
    """The filtered aggregates as CSV."""
    return _download(request, user, db, "csv")


@router.get("/dashboard.xlsx")
def dashboard_xlsx(request: Request, user: User = Depends(require(*ALL_ROLES)),
                   db: Session = Depends(get_db)) -> Response:
    """The filtered aggregates as an XLSX workbook."""
    return _download(request, user, db, "xlsx")
