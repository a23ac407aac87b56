"""The triage queue: filters, the documented priority order, and "take next" with claims.

Order: ``priority`` descending (score × severity × age, see :mod:`core.cases`), then the newest case id
(the index ``ix_case_priority_id`` serves exactly this order, so a page stops after its rows). Counts stop
at :data:`COUNT_CAP` ("more than 1,000"): an exact count of a large filtered set costs a full scan.

"Take next" serves the highest open case that nobody else holds and, for a case awaiting its second
confirmation, that the asking reviewer did not confirm first (four eyes). Escalated cases wait
for a senior decision: "take next" serves them to admins only (reviewers still see them in the list).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import String, and_, cast, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from core import cases
from core.models import Case, CaseReview, Employee, Role, User, utcnow
from core.settings import Settings
from core.workdays import WorkCalendar

OPEN = "open"
COUNT_CAP = 1000
_Q = TypeVar("_Q")
ORDER = (Case.priority.desc(), Case.id.desc())
ALL = "all"


@dataclass
class QueueFilter:
    """What the reviewer narrowed the queue to (all optional; ``status`` ``open`` by default)."""

    status: str = OPEN
    platform: str = ""
    unit: str = ""
    code: str = ""
    pair: int | None = None
    score_min: float | None = None
    score_max: float | None = None
    age_min: int | None = None
    age_max: int | None = None
    escalated: bool = False
    page: int = 1

    def query_args(self) -> dict[str, Any]:
        """The non-empty filters, for links that keep them."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False) and k != "page"}


@dataclass(frozen=True)
class CaseSummary:
    """The case columns a queue line shows (loading whole cases with their JSON cost twice as much)."""

    id: int
    status: str
    platform: str
    candidate_codes: list[Any]
    pair_number: int | None
    score: float | None
    priority: float
    created_at: datetime


SUMMARY_COLUMNS = (Case.id, Case.status, Case.platform, Case.candidate_codes, Case.pair_number, Case.score,
                   Case.priority, Case.created_at)


@dataclass
class QueueRow:
    """One line of the queue table."""

    case: CaseSummary
    unit: str
    claimed_by: str | None
    claimed_until: datetime | None
    escalated: bool
    deadline: date | None
    age: int
    mine: bool = False


@dataclass
class QueuePage:
    """One page of the queue, with the total count of matching cases."""

    rows: list[QueueRow] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    capped: bool = False


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filtered(q: _Q, f: QueueFilter, cal: WorkCalendar, today: date) -> _Q:
    query: Any = q
    if f.status == OPEN:
        query = query.where(Case.status.in_([str(s) for s in cases.OPEN]))
    elif f.status != ALL:
        query = query.where(Case.status == f.status)
    if f.platform:
        query = query.where(Case.platform == f.platform)
    if f.unit:
        query = query.where(Employee.unit == f.unit)
    if f.code:
        # candidate_codes is a JSON list; its text form holds the code quoted, on every backend.
        query = query.where(cast(Case.candidate_codes, String).like(f'%"{f.code}"%'))
    if f.pair is not None:
        query = query.where(Case.pair_number == f.pair)
    if f.score_min is not None:
        query = query.where(Case.score >= f.score_min)
    if f.score_max is not None:
        query = query.where(Case.score <= f.score_max)
    if f.age_min is not None:  # at least N working days old: detected on or before today − N
        query = query.where(Case.created_at < _start_of(cal.add(today, -f.age_min) + timedelta(days=1)))
    if f.age_max is not None:
        query = query.where(Case.created_at >= _start_of(cal.add(today, -f.age_max)))
    if f.escalated:
        query = query.where(CaseReview.escalated.is_(True))
    result: _Q = query
    return result


def list_page(db: Session, f: QueueFilter, user: User, settings: Settings,
              now: datetime | None = None) -> QueuePage:
    """The page ``f.page`` of the filtered queue in priority order."""
    now = now or utcnow()
    cal = cases.calendar(settings)
    today = now.date()
    claimer = aliased(User)
    base = (select(*SUMMARY_COLUMNS, Employee.unit, claimer.username, CaseReview.claimed_until,
                   CaseReview.escalated, CaseReview.deadline)
            .join(Employee, Employee.id == Case.employee_id)
            .outerjoin(CaseReview, CaseReview.case_id == Case.id)
            .outerjoin(claimer, claimer.id == CaseReview.claimed_by_id))
    query = _filtered(base, f, cal, today)
    size = settings.queue_page_size
    cap = max(COUNT_CAP, f.page * size) + 1  # one row more than shown proves "more than"
    ids = select(Case.id)
    if f.unit or f.escalated:  # the joins only matter when filtering on them
        ids = ids.join(Employee, Employee.id == Case.employee_id).outerjoin(
            CaseReview, CaseReview.case_id == Case.id)
    total = db.scalar(select(func.count()).select_from(_filtered(ids, f, cal, today).limit(cap).subquery())) or 0
    capped = total >= cap
    pages = max(1, -(-total // size))
    page = min(max(1, f.page), pages)
    result = db.execute(query.order_by(*ORDER).limit(size).offset((page - 1) * size))
    rows = []
    for row in result:
        case = CaseSummary(*row[:len(SUMMARY_COLUMNS)])
        unit, claimed_by, until, escalated, deadline = row[len(SUMMARY_COLUMNS):]
        held = claimed_by if until is not None and until > now else None
        rows.append(QueueRow(case, unit, held, until, bool(escalated), deadline,
                             cal.between(case.created_at.date(), today), held == user.username))
    return QueuePage(rows, total, page, pages, capped)


def take_next(db: Session, user: User, settings: Settings, f: QueueFilter | None = None,
              now: datetime | None = None, attempts: int = 5) -> Case | None:
    """Claim and return the highest-priority case this reviewer may take, or None when none is left."""
    now = now or utcnow()
    f = f or QueueFilter()
    f.status = OPEN if f.status in (OPEN, ALL, "") else f.status
    skip: list[int] = []
    for _ in range(attempts):
        query = (select(Case).outerjoin(CaseReview, CaseReview.case_id == Case.id)
                 .join(Employee, Employee.id == Case.employee_id))
        query = _filtered(query, f, cases.calendar(settings), now.date()).where(
            or_(CaseReview.case_id.is_(None), CaseReview.claimed_by_id.is_(None),
                CaseReview.claimed_by_id == user.id, CaseReview.claimed_until <= now),
            or_(Case.status != "awaiting_second", CaseReview.first_confirmed_by_id.is_(None),
                CaseReview.first_confirmed_by_id != user.id),
            Case.id.not_in(skip) if skip else and_(true_()),
        )
        if user.role != Role.ADMIN:
            query = query.where(or_(CaseReview.case_id.is_(None), CaseReview.escalated.is_(False)))
        case = db.scalars(query.order_by(*ORDER).limit(1)).first()
        if case is None:
            return None
        try:
            cases.claim(db, case, user, settings, now=now)
        except cases.ClaimConflict:
            skip.append(case.id)
            continue
        return case
    return None


def true_() -> Any:
    """SQL TRUE (``not false``), portable."""
    return ~false()

