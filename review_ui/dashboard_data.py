"""The dashboard's aggregates: cases (persons) by status group × code, platform, contest, unit and week.

Leads (``detected``: nobody has looked yet), cases in process (triage, awaiting the second confirmation),
confirmed violations (two reviewers agreed, including the due-process steps after), dismissed (not
continued) and closed cases are counted apart, so a code's number never mixes unreviewed leads with
confirmed violations. Everything is one ``GROUP BY`` per dimension in the database; no case row is loaded.
Aggregates only, no names or NIPs (the Desk Pilkada role sees this page).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func, select
from sqlalchemy.orm import Session

from core.models import Case, Election, Employee, Incident

GROUPS = ("lead", "in_process", "confirmed", "dismissed", "closed")
GROUP_OF = {
    "detected": "lead", "in_triage": "in_process", "awaiting_second": "in_process", "confirmed": "confirmed",
    "forwarded": "confirmed", "recommendation_received": "confirmed", "summoned": "confirmed",
    "examination": "confirmed", "decided": "confirmed", "dismissed": "dismissed", "closed": "closed",
}
DIMENSIONS = ("group", "code", "platform", "contest", "unit", "week")


@dataclass(frozen=True)
class DashboardFilters:
    """Election, period (detection date, inclusive) and unit; bad values are ignored."""

    election_id: int | None = None
    since: date | None = None
    until: date | None = None
    unit: str = ""

    @classmethod
    def parse(cls, params: dict[str, str]) -> DashboardFilters:
        def day(value: str | None) -> date | None:
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None

        raw = params.get("election") or ""
        return cls(election_id=int(raw) if raw.isdigit() else None, since=day(params.get("since")),
                   until=day(params.get("until")), unit=(params.get("unit") or "").strip()[:200])

    def args(self) -> dict[str, str]:
        """The filters as query arguments (for the download links)."""
        out = {"election": str(self.election_id or ""), "since": self.since.isoformat() if self.since else "",
               "until": self.until.isoformat() if self.until else "", "unit": self.unit}
        return {k: v for k, v in out.items() if v}

    def where(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if self.election_id is not None:
            conds.append(Case.election_id == self.election_id)
        if self.since:
            conds.append(Case.created_at >= datetime.combine(self.since, time.min, UTC))
        if self.until:
            conds.append(Case.created_at < datetime.combine(self.until + timedelta(days=1), time.min, UTC))
        if self.unit:
            conds.append(Case.employee_id.in_(select(Employee.id).where(Employee.unit == self.unit)))
        return conds


#: One row of an aggregate: its key and the count per status group (in :data:`GROUPS` order).
Row = tuple[str, list[int]]


def _split(rows: Any) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(GROUPS))
    for key, status, n in rows:
        out[str(key) if key is not None else "–"][GROUPS.index(GROUP_OF.get(str(status), "lead"))] += int(n)
    return out


def _ordered(counts: dict[str, list[int]], limit: int | None = None) -> list[Row]:
    rows = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return rows[:limit] if limit else rows


def _day(db: Session) -> Any:
    if db.get_bind().dialect.name == "postgresql":
        return func.to_char(func.date_trunc("week", Case.created_at), "YYYY-MM-DD")
    return func.date(Case.created_at, "weekday 0", "-6 days")  # SQLite: the Monday of the week


@dataclass
class Aggregates:
    """The dashboard's numbers, each dimension sorted for display."""

    totals: list[int]
    by: dict[str, list[Row]]
    incidents: int = 0

    @property
    def total(self) -> int:
        return sum(self.totals)


def aggregates(db: Session, f: DashboardFilters) -> Aggregates:
    """Every aggregate under ``f`` (four grouped queries).

    A case is a person in a Pilkada: it counts once under a platform or contest when any of its incidents
    has it (``DISTINCT case, platform``), and once under each of its codes (the case's union of codes)."""
    where = f.where()

    code_text, week = cast(Case.candidate_codes, Text), _day(db)
    codes: dict[str, list[int]] = defaultdict(lambda: [0] * len(GROUPS))
    weeks: dict[str, list[int]] = defaultdict(lambda: [0] * len(GROUPS))
    totals = [0] * len(GROUPS)
    q = select(code_text, week, Case.status, func.count()).where(*where).group_by(code_text, week, Case.status)
    for text_value, monday, status, n in db.execute(q):
        i = GROUPS.index(GROUP_OF.get(str(status), "lead"))
        totals[i] += n
        weeks[str(monday)[:10]][i] += n
        for code in json.loads(text_value or "[]") or ["–"]:
            codes[str(code)][i] += n
    per_platform = (select(Incident.case_id, Incident.platform).distinct()
                    .join(Case, Case.id == Incident.case_id).where(*where).subquery())
    by_platform = _split(db.execute(select(per_platform.c.platform, Case.status, func.count())
                                    .join(Case, Case.id == per_platform.c.case_id)
                                    .group_by(per_platform.c.platform, Case.status)).all())
    per_contest = (select(Incident.case_id, Incident.contest).distinct()
                   .join(Case, Case.id == Incident.case_id).where(*where).subquery())
    by_contest = _split(db.execute(select(per_contest.c.contest, Case.status, func.count())
                                   .join(Case, Case.id == per_contest.c.case_id)
                                   .group_by(per_contest.c.contest, Case.status)).all())
    by_unit = _split(db.execute(select(Employee.unit, Case.status, func.count())
                                .join(Employee, Employee.id == Case.employee_id).where(*where)
                                .group_by(Employee.unit, Case.status)).all())
    incidents = db.scalar(select(func.count()).select_from(Incident).join(Case, Case.id == Incident.case_id)
                          .where(*where)) or 0
    groups = [(g, [n if i == j else 0 for j in range(len(GROUPS))]) for i, (g, n) in enumerate(zip(GROUPS, totals,
                                                                                                 strict=True))]
    return Aggregates(totals=totals, incidents=int(incidents), by={
        "group": groups, "code": _ordered(codes), "platform": _ordered(by_platform),
        "contest": _ordered(by_contest), "unit": _ordered(by_unit, 30),
        "week": sorted((k[:10], v) for k, v in weeks.items())[-26:]})


def options(db: Session) -> tuple[list[tuple[int, str]], list[str]]:
    """Elections and units for the filter lists."""
    elections = [(int(i), str(n)) for i, n in db.execute(select(Election.id, Election.name).order_by(Election.id))]
    units = [str(u) for u in db.scalars(select(Employee.unit).distinct().order_by(Employee.unit)) if u]
    return elections, units


def table_rows(data: Aggregates, label: Any) -> list[list[Any]]:
    """Every aggregate as rows ``[dimension, key, lead, in process, confirmed, dismissed, closed, total]``."""
    out: list[list[Any]] = []
    for dim in DIMENSIONS:
        for key, counts in data.by[dim]:
            out.append([label(dim), label(key) if dim == "group" else key, *counts, sum(counts)])
    return out


def header(label: Any) -> list[str]:
    """The column names of :func:`table_rows` in the user's language."""
    return [label("dimension"), label("key"), *(label(g) for g in GROUPS), label("total")]


def to_csv(data: Aggregates, label: Any) -> bytes:
    """The aggregates as CSV (UTF-8 with BOM for spreadsheet programs)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(label))
    writer.writerows(table_rows(data, label))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(data: Aggregates, label: Any, filters: dict[str, str]) -> bytes:
    """The aggregates as an XLSX workbook: one sheet of all rows, plus the filters used."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "netral"
    sheet.append(header(label))
    for row in table_rows(data, label):
        sheet.append(row)
    meta = book.create_sheet("filter")
    for key, value in filters.items():
        meta.append([key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
