"""Dashboard: case counts by status, violation code, platform, contest, unit and week — aggregates only.

A case is a person in a Pilkada, so these count persons: a case counts once under a code, platform or
contest when any of its incidents has it (a person with ten likes on one platform is one person there).
The incident total is shown beside. No names or NIPs appear here, so the Desk Pilkada role may see it
(domain.md §4, §6).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from core.models import Case, Employee, Incident, User
from review_ui.charts import hbar, vbar
from review_ui.deps import ALL_ROLES, get_db, require
from review_ui.messages import status_label
from review_ui.templating import gettext_for, render

router = APIRouter()


def _day_expr(db: Session):  # type: ignore[no-untyped-def]
    if db.get_bind().dialect.name == "postgresql":
        return func.to_char(Case.created_at, "YYYY-MM-DD")
    return func.substr(cast(Case.created_at, Text), 1, 10)


def counts(db: Session) -> dict[str, list[tuple[str, int]]]:
    """The dashboard's aggregates, each sorted for display."""
    by_status = db.execute(select(Case.status, func.count()).group_by(Case.status)).all()
    per_case = select(Incident.case_id, Incident.platform).distinct().subquery()
    by_platform = db.execute(select(per_case.c.platform, func.count()).group_by(per_case.c.platform)).all()
    per_contest = select(Incident.case_id, Incident.contest).where(Incident.contest.is_not(None)).distinct().subquery()
    by_contest = db.execute(select(per_contest.c.contest, func.count()).group_by(per_contest.c.contest)).all()
    by_unit = db.execute(select(Employee.unit, func.count()).join(Case, Case.employee_id == Employee.id)
                         .group_by(Employee.unit)).all()
    codes: Counter[str] = Counter()
    seen: set[tuple[int, str]] = set()
    code_text = cast(Incident.candidate_codes, Text)
    for case_id, text_value in db.execute(select(Incident.case_id, code_text).distinct()):
        for code in json.loads(text_value or "[]"):
            if (case_id, str(code)) not in seen:
                seen.add((case_id, str(code)))
                codes[str(code)] += 1
    weeks: Counter[str] = Counter()
    day = _day_expr(db)
    for value, n in db.execute(select(day, func.count()).group_by(day)):
        d = date.fromisoformat(str(value)[:10])
        weeks[(d - timedelta(days=d.weekday())).isoformat()] += n
    def ordered(rows: list[tuple[str, int]] | Counter[str]) -> list[tuple[str, int]]:
        items = list(rows.items()) if isinstance(rows, Counter) else [(str(a), int(b)) for a, b in rows]
        return sorted(items, key=lambda kv: (-kv[1], kv[0]))
    return {"status": ordered([(str(a), int(b)) for a, b in by_status]), "code": ordered(codes),
            "platform": ordered([(str(a), int(b)) for a, b in by_platform]),
            "contest": ordered([(str(a), int(b)) for a, b in by_contest]),
            "unit": ordered([(str(a), int(b)) for a, b in by_unit])[:25],
            "week": sorted(weeks.items())[-26:]}


@router.get("/dashboard")
def dashboard(request: Request, user: User = Depends(require(*ALL_ROLES)),
              db: Session = Depends(get_db)) -> Response:
    """Counts and server-rendered SVG charts."""
    _ = gettext_for(request)
    data = counts(db)
    status_labels = [(status_label(_, k), n) for k, n in data["status"]]
    charts = {
        "status": hbar(_("Cases by status"), status_labels),
        "code": hbar(_("Cases by violation code"), data["code"]),
        "platform": hbar(_("Cases by platform"), data["platform"]),
        "contest": hbar(_("Cases by contest"), data["contest"]),
        "unit": hbar(_("Cases by unit"), data["unit"]),
        "week": vbar(_("Cases by week of detection"), data["week"]),
    }
    total = sum(n for _k, n in data["status"])
    persons = db.scalar(select(func.count(func.distinct(Case.employee_id)))) or 0
    incidents = db.scalar(select(func.count()).select_from(Incident)) or 0
    return render(request, "dashboard.html", {"charts": charts, "data": data, "total": total, "persons": persons,
                                              "incidents": incidents})
