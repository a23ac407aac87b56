"""The triage queue: one row per case (a person in a Pilkada), filters, the documented priority order, and
"take next" with claims.

A row shows the case's incident count (how many are new or waiting), its contests, platforms, the
heaviest candidate code, the age and the priority (:mod:`core.case_priority`). Filters on platform,
code, contest and pair match a case when *any* of its incidents matches. "Open" means work is waiting:
the case is in triage, or one of its incidents (a supplementary one, after confirmation) is open.

Order: ``priority`` descending, then the newest case id (the index ``ix_case_priority_id`` serves exactly
this order, so a page stops after its rows). Counts stop at :data:`COUNT_CAP` ("more than 1,000"): an
exact count of a large filtered set costs a full scan.

"Take next" serves the highest case with work waiting that nobody else holds and on which the asking
reviewer has a look to give: a second look only on incidents somebody else looked at first (four
eyes). Escalated cases wait for a senior decision: "take next" serves them to admins only (reviewers
still see them in the list). Blind review hides the person as on the case page: no unit for a case
whose identity is hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from core import cases
from core.case_priority import facet, heaviest_code, severity_weights
from core.models import Case, CaseEvent, CaseReview, Employee, Incident, IncidentMark, Role, User, utcnow
from core.recusal import not_recused
from core.settings import Settings
from core.workdays import WorkCalendar

OPEN = "open"
COUNT_CAP = 1000
_Q = TypeVar("_Q")
ORDER = (Case.priority.desc(), Case.id.desc())
#: The sortable columns: priority (the documented order), oldest first, strongest score, newest case.
ORDERS: dict[str, tuple[Any, ...]] = {
    "priority": ORDER, "age": (Case.created_at.asc(), Case.id.asc()),
    "score": (Case.score.desc(), Case.id.desc()), "newest": (Case.id.desc(),)}
#: A case number as people type it: ``42``, ``#42`` or ``NTR-2024-00042``.
CASE_NUMBER = re.compile(r"^(?:NTR-\d{4}-|#)?0*(\d{1,9})$", re.IGNORECASE)
ALL = "all"
TRIAGE = [str(s) for s in cases.OPEN]
#: The statuses in which blind review hides the person.


@dataclass
class QueueFilter:
    """What the reviewer narrowed the queue to (all optional; ``status`` ``open`` by default)."""

    status: str = OPEN
    platform: str = ""
    unit: str = ""
    code: str = ""
    contest: str = ""
    pair: int | None = None
    score_min: float | None = None
    score_max: float | None = None
    age_min: int | None = None
    age_max: int | None = None
    escalated: bool = False
    q: str = ""
    mine: bool = False
    sort: str = "priority"
    page: int = 1

    def query_args(self) -> dict[str, Any]:
        """The non-empty filters, for links that keep them."""
        return {k: v for k, v in self.__dict__.items()
                if v not in (None, "", False) and k != "page" and not (k == "sort" and v == "priority")}

    @property
    def order(self) -> tuple[Any, ...]:
        """The ORDER BY of the chosen column (priority when unknown)."""
        return ORDERS.get(self.sort, ORDER)


@dataclass(frozen=True)
class CaseSummary:
    """The case columns a queue line shows (loading whole cases with their JSON cost twice as much)."""

    id: int
    version: int
    status: str
    candidate_codes: list[Any]
    score: float | None
    priority: float
    created_at: datetime
    summary: dict[str, Any]


SUMMARY_COLUMNS = (Case.id, Case.version, Case.status, Case.candidate_codes, Case.score, Case.priority, Case.created_at,
                   Case.summary)


@dataclass
class IncidentCounts:
    """What a queue line says about a case's incidents."""

    total: int = 0
    open: int = 0
    new: int = 0
    supplementary: int = 0
    contests: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)


@dataclass
class QueueRow:
    """One line of the queue table (``unit`` None while blind review hides the person)."""

    case: CaseSummary
    unit: str | None
    claimed_by: str | None
    claimed_until: datetime | None
    escalated: bool
    deadline: date | None
    age: int
    incidents: IncidentCounts
    heaviest_code: str | None
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


def work_waiting() -> Any:
    """SQL: the case is in triage or has an open incident (the summary's ``w:open`` facet)."""
    return or_(Case.status.in_(TRIAGE), _any_incident("w", "open"))


def _any_incident(kind: str, value: object) -> Any:
    """SQL: one of the case's incidents has this platform / contest / code / pair, read from the case's
    summary facets (:func:`core.case_priority.summary_of`): checked on the case row while the queue walks
    the priority index, so a page reads no incident."""
    return cast(Case.summary, String).like(f'%"{facet(kind, value)}"%')


def _filtered(q: _Q, f: QueueFilter, cal: WorkCalendar, today: date) -> _Q:
    query: Any = q
    if f.status == OPEN:
        query = query.where(work_waiting())
    elif f.status != ALL:
        query = query.where(Case.status == f.status)
    if f.platform:
        query = query.where(_any_incident("p", f.platform))
    if f.contest:
        query = query.where(_any_incident("c", f.contest))
    if f.code:
        query = query.where(_any_incident("k", f.code))
    if f.pair is not None:
        query = query.where(_any_incident("n", f.pair))
    if f.unit:
        query = query.where(Employee.unit == f.unit)
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


def _search_and_mine(query: _Q, f: QueueFilter, user: User, settings: Settings, now: datetime) -> _Q:
    """Narrow to a search and to "Kasus saya" (``f.q``, ``f.mine``).

    A case number always matches. A name or NIP matches only a case whose person is not hidden: while blind
    review hides the person, a search by name must not tell a reviewer who a blind case is about.
    """
    q: Any = query
    text = f.q.strip()
    if text:
        number = CASE_NUMBER.match(text)
        emp = aliased(Employee)  # its own alias: the outer query may join Employee already
        person: Any = exists().where(emp.id == Case.employee_id, or_(
            func.lower(emp.name).contains(text.lower(), autoescape=True),
            emp.id_number.startswith(text, autoescape=True)))
        if settings.blind_review:
            person = and_(person, Case.status.not_in(cases.BLIND_STATUSES))
        q = q.where(or_(Case.id == int(number.group(1)), person) if number else person)
    if f.mine:
        review = aliased(CaseReview)
        held = exists().where(review.case_id == Case.id, review.claimed_by_id == user.id,
                              review.claimed_until > now)
        inc, mark = aliased(Incident), aliased(IncidentMark)
        looked = exists().where(inc.case_id == Case.id).where(
            exists().where(mark.incident_id == inc.id, mark.reviewer_id == user.id))
        q = q.where(or_(held, looked))
    result: _Q = q
    return result


def incident_counts(summary: dict[str, Any]) -> IncidentCounts:
    """A queue line's incident figures, from the case's summary."""
    return IncidentCounts(int(summary.get("incidents", 0)), int(summary.get("open", 0)), int(summary.get("new", 0)),
                          int(summary.get("supplementary", 0)), list(summary.get("contests", [])),
                          list(summary.get("platforms", [])))


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
    query = _search_and_mine(_filtered(base, f, cal, today), f, user, settings, now)
    own = not_recused(user, settings)  # recusal: one's own unit's cases are not served
    if own is not None:
        query = query.where(own)
    size = settings.queue_page_size
    cap = max(COUNT_CAP, f.page * size) + 1  # one row more than shown proves "more than"
    ids = select(Case.id)
    if f.unit or f.escalated or own is not None:  # the joins only matter when filtering on them
        ids = ids.join(Employee, Employee.id == Case.employee_id).outerjoin(
            CaseReview, CaseReview.case_id == Case.id)
    counted = _search_and_mine(_filtered(ids, f, cal, today), f, user, settings, now)
    if own is not None:
        counted = counted.where(own)
    total = db.scalar(select(func.count()).select_from(counted.limit(cap).subquery())) or 0
    capped = total >= cap
    pages = max(1, -(-total // size))
    page = min(max(1, f.page), pages)
    result = db.execute(query.order_by(*f.order).limit(size).offset((page - 1) * size)).all()
    weights = severity_weights(db)
    rows = []
    for row in result:
        case = CaseSummary(*row[:len(SUMMARY_COLUMNS)])
        unit, claimed_by, until, escalated, deadline = row[len(SUMMARY_COLUMNS):]
        held = claimed_by if until is not None and until > now else None
        hidden = settings.blind_review and case.status in cases.BLIND_STATUSES
        rows.append(QueueRow(case, None if hidden else unit, held, until, bool(escalated), deadline,
                             cal.between(case.created_at.date(), today), incident_counts(case.summary or {}),
                             heaviest_code(case.candidate_codes or [], weights), held == user.username))
    return QueuePage(rows, total, page, pages, capped)


def has_a_look_for(user: User) -> Any:
    """SQL: the case has incidents ``user`` may look at now (cf. :func:`core.cases.to_look_at`): the second
    look of a review somebody else began, or, when no review is under way, incidents waiting."""
    inc, first, second, any_mark = aliased(Incident), aliased(IncidentMark), aliased(IncidentMark), aliased(
        IncidentMark)
    pending = (exists().where(inc.case_id == Case.id, inc.outcome.is_(None))
               .where(exists().where(first.incident_id == inc.id, first.stage == 1))
               .where(~exists().where(second.incident_id == inc.id, second.stage == 2)))
    inc2, mine = aliased(Incident), aliased(IncidentMark)
    begun_by_me = exists().where(inc2.case_id == Case.id, inc2.outcome.is_(None)).where(
        exists().where(mine.incident_id == inc2.id, mine.stage == 1, mine.reviewer_id == user.id))
    inc3 = aliased(Incident)
    waiting = exists().where(inc3.case_id == Case.id, inc3.outcome.is_(None)).where(
        ~exists().where(any_mark.incident_id == inc3.id))
    return or_(and_(pending, ~begun_by_me), and_(~pending, waiting))


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
        query = _search_and_mine(_filtered(query, f, cases.calendar(settings), now.date()), f, user, settings,
                                 now).where(
            or_(CaseReview.case_id.is_(None), CaseReview.claimed_by_id.is_(None),
                CaseReview.claimed_by_id == user.id, CaseReview.claimed_until <= now),
            has_a_look_for(user),
            Case.id.not_in(skip) if skip else and_(true_()),
        )
        if user.role != Role.ADMIN:
            query = query.where(or_(CaseReview.case_id.is_(None), CaseReview.escalated.is_(False)))
        own = not_recused(user, settings)
        if own is not None:
            query = query.where(own)
        case = db.scalars(query.order_by(*ORDER).limit(1)).first()
        if case is None:
            return None
        try:
            cases.claim(db, case, user, settings, now=now)
        except (cases.ClaimConflict, cases.InvalidTransition):
            skip.append(case.id)
            continue
        return case
    return None


def true_() -> Any:
    """SQL TRUE (``not false``), portable."""
    return ~false()


@dataclass(frozen=True)
class Progress:
    """The day's work at a glance: cases decided today (by anyone, by this reviewer) and cases still open."""

    decided_today: int
    mine_today: int
    remaining: int
    capped: bool = False  # more than COUNT_CAP waiting (counted no further: an exact count costs a full scan)


#: A decision in the sense of the progress line: the case reached one of these statuses.
DECIDED = ("confirmed", "dismissed")


def progress(db: Session, user: User, settings: Settings, now: datetime | None = None) -> Progress:
    """Decisions since local midnight (the regency's time zone) and the cases with work waiting."""
    now = now or utcnow()
    tz = ZoneInfo(settings.default_timezone)
    midnight = datetime.combine(now.astimezone(tz).date(), time.min, tzinfo=tz).astimezone(UTC)
    decided = (select(CaseEvent.case_id, CaseEvent.actor).where(CaseEvent.at >= midnight)
               .where(or_(CaseEvent.to_status.in_(DECIDED), CaseEvent.action == "escalate")))
    rows = db.execute(decided).all()
    remaining = select(Case.id).where(work_waiting())
    own = not_recused(user, settings)
    if own is not None:
        remaining = remaining.join(Employee, Employee.id == Case.employee_id).where(own)
    left = int(db.scalar(select(func.count()).select_from(remaining.limit(COUNT_CAP + 1).subquery())) or 0)
    return Progress(len({r.case_id for r in rows}), len({r.case_id for r in rows if r.actor == user.username}),
                    min(left, COUNT_CAP), left > COUNT_CAP)
