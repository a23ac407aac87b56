"""The workflow's shared rules: its refusals, the version check, history events, review rows, claims.

Optimistic concurrency: every decision names the case ``version`` it was made on. :func:`bump` raises
the version by one in a single conditional ``UPDATE … WHERE version = :seen``; when another decision
got there first, the update matches no row and the decision is refused with :class:`StaleDecision`,
naming who changed the case, before anything was written. The ``UPDATE`` also holds the case row (a
PostgreSQL row lock; SQLite's write lock) until the decision commits, so two decisions on one case are
applied one after the other, and the state read after the bump is the state the decision changes.

Lock order (PostgreSQL): the case row first, then its review row, then the audit log's append lock;
claims take the case row before the review row for the same reason, and a verdict takes its cases in
id order before changing any, so no two transactions ever wait on each other in a circle.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, select, update
from sqlalchemy.orm import Session

from core import audit
from core.errors import NetralError
from core.ingest.upsert import insert_for
from core.models import Case, CaseEvent, CaseReview, CaseStatus, User, utcnow
from core.models.users import Role
from core.settings import Settings
from core.workdays import WorkCalendar

log = logging.getLogger(__name__)
S = CaseStatus
OPEN = (S.DETECTED, S.IN_TRIAGE, S.AWAITING_SECOND)
ENDED = (S.DISMISSED, S.CLOSED)
DECIDING_ROLES = (Role.ADMIN, Role.REVIEWER)
#: History entries written by the scan (an incident arriving is not a decision).
INTAKE_ACTIONS = ("detected", "incident_added", "interaction_attached", "merged")
_CASE: Table = Case.__table__  # type: ignore[assignment]
_REVIEW: Table = CaseReview.__table__  # type: ignore[assignment]


class WorkflowError(NetralError):
    """A decision the workflow refuses; ``http_status`` tells the web app how to answer."""

    http_status = 409


class InvalidTransition(WorkflowError):
    """The action is not allowed from the case's current state."""


class FourEyesViolation(WorkflowError):
    """The same reviewer tried to give both looks of one review."""


class ClaimConflict(WorkflowError):
    """Another reviewer holds an unexpired claim on the case."""


class StaleDecision(WorkflowError):
    """The decision was made on a version of the case that another decision has replaced.

    ``changed_by`` / ``changed_at`` name the change that replaced it; nothing was written."""

    def __init__(self, case_id: int, seen: int, current: int | None, changed_by: str | None,
                 changed_at: datetime | None) -> None:
        self.case_id, self.seen, self.current = case_id, seen, current
        self.changed_by, self.changed_at = changed_by, changed_at
        when = f" at {changed_at:%Y-%m-%d %H:%M} UTC" if changed_at else ""
        who = f" by {changed_by}{when}" if changed_by else ""
        super().__init__(f"case {case_id} was changed{who} after you opened it (version {seen} → {current}); "
                         "nothing was saved: reload the case and decide again")


class MissingInput(WorkflowError):
    """A reason, reference number, mark or date the step requires is missing or inconsistent.

    ``key`` names what is wrong (``reason``, ``reference``, ``date``, ``to``, ``examination_on``,
    ``examination_too_early``, ``date_future``, ``date_order``, ``track``, ``level``, ``marks``, ``version``,
    ``verdict``) so a user interface can say it in its language; ``allowed`` is the value the field may take
    (the earliest examination date, the latest or earliest step date), so the user is told what to type."""

    http_status = 422

    def __init__(self, message: str, key: str = "input", allowed: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.allowed = allowed


class NotAllowed(WorkflowError):
    """The user's role may not take decisions."""

    http_status = 403


def calendar(settings: Settings) -> WorkCalendar:
    """The working-day calendar configured in the settings."""
    return WorkCalendar.of(settings.holidays, settings.weekend_days, settings.holiday_country)


def require_decider(user: User) -> None:
    if user.role not in DECIDING_ROLES or not user.active:
        raise NotAllowed(f"user {user.username} ({user.role}) may not decide cases")


def review_of(session: Session, case: Case) -> CaseReview:
    """The case's review row, created on first use (a parallel first use is not an error)."""
    review = session.get(CaseReview, case.id)
    if review is None:
        session.execute(insert_for(session, _REVIEW).on_conflict_do_nothing(  # type: ignore[attr-defined]
            index_elements=["case_id"]).values(case_id=case.id, escalated=False, updated_at=utcnow()))
        review = session.get(CaseReview, case.id)
        assert review is not None
    return review


def last_change(session: Session, case_id: int) -> tuple[str | None, datetime | None]:
    """Who made the newest decision on the case, and when."""
    row = session.execute(select(CaseEvent.actor, CaseEvent.at).where(
        CaseEvent.case_id == case_id, CaseEvent.action.not_in(INTAKE_ACTIONS))
        .order_by(CaseEvent.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (None, None)


def expect(session: Session, case: Case, version: int | None) -> None:
    """Refuse at once a decision made on an older version than the case as loaded: a reviewer who lost a
    race hears that someone else decided (StaleDecision), not a confusing status error."""
    if version is not None and case.version != int(version):
        who, when = last_change(session, case.id)
        raise StaleDecision(case.id, int(version), case.version, who, when)


def expect_stored(session: Session, case_id: int, version: int | None) -> None:
    """Like :func:`expect`, against the version stored now rather than the one loaded.

    Called before refusing a decision for the case's state: what this request read about the case may
    already include another reviewer's committed decision (SQLite reads outside a transaction, PostgreSQL
    reads committed rows), and then the honest answer is "someone else decided", not "invalid"."""
    if version is None:
        return
    current = session.scalar(select(Case.version).where(Case.id == case_id))
    if current is not None and current != int(version):
        who, when = last_change(session, case_id)
        raise StaleDecision(case_id, int(version), current, who, when)


def bump(session: Session, case: Case, version: int | None) -> None:
    """Check that the decision was made on ``version`` and raise it by one (see the module docstring);
    afterwards the session reads the case and everything about it afresh."""
    if version is None:
        raise MissingInput(f"a decision on case {case.id} must name the version it was made on", "version")
    session.flush()
    result = session.execute(update(_CASE).where(_CASE.c.id == case.id, _CASE.c.version == int(version))
                             .values(version=_CASE.c.version + 1, updated_at=utcnow()))
    if cast(CursorResult[Any], result).rowcount != 1:
        current = session.scalar(select(Case.version).where(Case.id == case.id))
        who, when = last_change(session, case.id)
        raise StaleDecision(case.id, int(version), current, who, when)
    session.expire_all()
    session.refresh(case)


def event(session: Session, case: Case, user: User | str, action: str, to_status: CaseStatus | None,
          note: str | None = None, data: dict[str, Any] | None = None, incident_id: int | None = None) -> CaseEvent:
    """Record one step in the case history and in the audit log (same transaction)."""
    actor = user if isinstance(user, str) else user.username
    from_status = case.status
    if to_status is not None:
        case.status = to_status
    entry = CaseEvent(actor=actor, action=action, from_status=from_status, to_status=case.status, note=note,
                      data=data or {}, incident_id=incident_id)
    case.events.append(entry)
    audit.record(session, actor, f"case.{action}", object_type="case", object_id=case.id,
                 details={"from": from_status, "to": case.status, "note": note, "version": case.version,
                          **({"incident_id": incident_id} if incident_id else {}), **(data or {})})
    log.info("case %s: %s by %s (%s → %s)", case.id, action, actor, from_status, case.status)
    return entry


def claim_held_by_other(review: CaseReview, user: User, now: datetime) -> bool:
    return (review.claimed_by_id is not None and review.claimed_by_id != user.id
            and review.claimed_until is not None and review.claimed_until > now)


def clear_claim(review: CaseReview) -> None:
    review.claimed_by_id = None
    review.claimed_until = None


def to_triage(session: Session, case: Case, user: User) -> None:
    """``detected → in_triage`` once, however many requests ask at the same time (raises the version)."""
    result = session.execute(update(_CASE).where(_CASE.c.id == case.id, _CASE.c.status == S.DETECTED.value)
                             .values(status=S.IN_TRIAGE.value, version=_CASE.c.version + 1, updated_at=utcnow()))
    if cast(CursorResult[Any], result).rowcount == 1:
        session.refresh(case)
        case.status = S.DETECTED.value  # the event records the step from detected
        event(session, case, user, "triage", S.IN_TRIAGE)
    else:
        session.refresh(case)
