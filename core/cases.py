"""The case workflow: due-process state machine, four-eyes confirmation, claims, deadlines, priority.

States are :class:`core.models.enums.CaseStatus` (domain.md §3)::

    detected → in_triage → awaiting_second → confirmed → forwarded → recommendation_received
             → summoned (I, II) → examination → decided → closed
    detected / in_triage / awaiting_second → dismissed (reason required) → closed

Rules encoded here, so that every client (web, CLI, tests) obeys them:

- **Four eyes**: the first ``confirm`` only moves a case to ``awaiting_second``; a *different* reviewer
  must confirm again before it is ``confirmed``. Dismissing needs one reviewer and a reason.
- **Claims**: a reviewer holding an unexpired claim is the only one served that case; claims expire after
  ``Settings.claim_minutes``.
- **Audit**: every decision writes a :class:`CaseEvent` *and* an audit event; so does every view of a
  case's personal data (:func:`record_view`).
- **Priority** (the queue order) = ``score × severity × (1 + age / priority_age_workdays)``, where
  ``severity`` is the heaviest candidate code's weight (:data:`SEVERITY`: moral 1, medium 2, medium or
  heavy 2.5, heavy 3, dismissal 4), ``age`` the working days since detection, and escalated cases count
  double. It is stored on the case and refreshed by :func:`refresh_priorities`.

Functions change the session's objects and flush; the caller commits (one transaction per use case).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from core import audit
from core.errors import NetralError
from core.models import Case, CaseEvent, CaseReview, CaseStatus, Track, User, ViolationType, utcnow
from core.models.users import Role
from core.settings import Settings
from core.workdays import WorkCalendar

log = logging.getLogger(__name__)

S = CaseStatus
OPEN = (S.DETECTED, S.IN_TRIAGE, S.AWAITING_SECOND)
SEVERITY: dict[str, float] = {"moral": 1.0, "light": 1.0, "medium": 2.0, "medium_or_heavy": 2.5,
                              "heavy": 3.0, "dismissal": 4.0}
DECIDING_ROLES = (Role.ADMIN, Role.REVIEWER)


class WorkflowError(NetralError):
    """A decision the workflow refuses; ``http_status`` tells the web app how to answer."""

    http_status = 409


class InvalidTransition(WorkflowError):
    """The action is not allowed from the case's current state."""


class FourEyesViolation(WorkflowError):
    """The same reviewer tried to give both confirmations."""


class ClaimConflict(WorkflowError):
    """Another reviewer holds an unexpired claim on the case."""


class MissingInput(WorkflowError):
    """A reason, reference number or date the step requires is missing or inconsistent.

    ``key`` names what is wrong (``reason``, ``reference``, ``date``, ``to``, ``examination_on``,
    ``examination_too_early``, ``track``, ``level``) so a user interface can say it in its language.
    """

    http_status = 422

    def __init__(self, message: str, key: str = "input") -> None:
        super().__init__(message)
        self.key = key


class NotAllowed(WorkflowError):
    """The user's role may not take decisions."""

    http_status = 403


@dataclass(frozen=True)
class Step:
    """One due-process step after confirmation: which state it leaves, which it enters, what it needs."""

    action: str
    sources: tuple[CaseStatus, ...]
    target: CaseStatus


DUE_PROCESS: dict[str, Step] = {s.action: s for s in (
    Step("forward", (S.CONFIRMED,), S.FORWARDED),
    Step("recommendation", (S.FORWARDED,), S.RECOMMENDATION),
    Step("summon", (S.RECOMMENDATION, S.SUMMONED), S.SUMMONED),
    Step("examine", (S.SUMMONED,), S.EXAMINATION),
    Step("decide", (S.EXAMINATION,), S.DECIDED),
    Step("close", (S.DECIDED, S.DISMISSED), S.CLOSED),
)}


def calendar(settings: Settings) -> WorkCalendar:
    """The working-day calendar configured in the settings."""
    return WorkCalendar.of(settings.holidays, settings.weekend_days)


def review_of(session: Session, case: Case) -> CaseReview:
    """The case's review row, created on first use."""
    review = session.get(CaseReview, case.id)
    if review is None:
        review = CaseReview(case_id=case.id, escalated=False)
        session.add(review)
        session.flush()
    return review


def _require_decider(user: User) -> None:
    if user.role not in DECIDING_ROLES or not user.active:
        raise NotAllowed(f"user {user.username} ({user.role}) may not decide cases")


def _event(session: Session, case: Case, user: User, action: str, to_status: CaseStatus | None,
           note: str | None = None, data: dict[str, Any] | None = None) -> CaseEvent:
    """Record one step in the case history and in the audit log (same transaction)."""
    from_status = case.status
    if to_status is not None:
        case.status = to_status
    event = CaseEvent(actor=user.username, action=action, from_status=from_status,
                      to_status=case.status, note=note, data=data or {})
    case.events.append(event)
    audit.record(session, user.username, f"case.{action}", object_type="case", object_id=case.id,
                 details={"from": from_status, "to": case.status, "note": note, **(data or {})})
    log.info("case %s: %s by %s (%s → %s)", case.id, action, user.username, from_status, case.status)
    return event


def _claim_held_by_other(review: CaseReview, user: User, now: datetime) -> bool:
    return (review.claimed_by_id is not None and review.claimed_by_id != user.id
            and review.claimed_until is not None and review.claimed_until > now)


def claim(session: Session, case: Case, user: User, settings: Settings, now: datetime | None = None) -> None:
    """Hold the case for ``user`` for ``claim_minutes``; a detected case enters triage."""
    _require_decider(user)
    now = now or utcnow()
    if case.status not in OPEN:
        raise InvalidTransition(f"case {case.id} is {case.status}: only open cases are claimed")
    review = review_of(session, case)
    if _claim_held_by_other(review, user, now):
        raise ClaimConflict(f"case {case.id} is claimed by another reviewer until {review.claimed_until}")
    until = now + timedelta(minutes=settings.claim_minutes)
    # Conditional UPDATE: two reviewers racing for the same case cannot both win.
    result = session.execute(
        update(CaseReview)
        .where(CaseReview.case_id == case.id)
        .where((CaseReview.claimed_by_id.is_(None)) | (CaseReview.claimed_by_id == user.id)
               | (CaseReview.claimed_until <= now))
        .values(claimed_by_id=user.id, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    if not cast(CursorResult[Any], result).rowcount:
        raise ClaimConflict(f"case {case.id} was just claimed by another reviewer")
    session.refresh(review)
    if case.status == S.DETECTED:
        _event(session, case, user, "triage", S.IN_TRIAGE)
    session.flush()


def release(session: Session, case: Case, user: User) -> None:
    """Give up ``user``'s claim (no-op when someone else holds it)."""
    review = review_of(session, case)
    if review.claimed_by_id == user.id:
        review.claimed_by_id = None
        review.claimed_until = None
        session.flush()


def _decide_open(session: Session, case: Case, user: User, now: datetime) -> CaseReview:
    _require_decider(user)
    if case.status not in OPEN:
        raise InvalidTransition(f"case {case.id} is {case.status}, not awaiting a triage decision")
    review = review_of(session, case)
    if _claim_held_by_other(review, user, now):
        raise ClaimConflict(f"case {case.id} is claimed by another reviewer")
    return review


def confirm(session: Session, case: Case, user: User, settings: Settings, note: str | None = None,
            now: datetime | None = None) -> CaseStatus:
    """First or second confirmation (four eyes); returns the new status."""
    now = now or utcnow()
    review = _decide_open(session, case, user, now)
    if case.status == S.AWAITING_SECOND:
        if review.first_confirmed_by_id == user.id:
            raise FourEyesViolation("a second, different reviewer must confirm this case")
        _event(session, case, user, "confirm_second", S.CONFIRMED, note,
               {"first_confirmed_by_id": review.first_confirmed_by_id})
        review.deadline = calendar(settings).add(now.date(), settings.forward_deadline_workdays)
        review.deadline_kind = "forward"
    else:
        if case.status == S.DETECTED:
            _event(session, case, user, "triage", S.IN_TRIAGE)
        _event(session, case, user, "confirm_first", S.AWAITING_SECOND, note)
        review.first_confirmed_by_id = user.id
    review.claimed_by_id = None
    review.claimed_until = None
    session.flush()
    return CaseStatus(case.status)


def dismiss(session: Session, case: Case, user: User, reason: str, now: datetime | None = None) -> None:
    """Dismiss an open case; the reason is required and kept in the history and audit log."""
    if not reason or not reason.strip():
        raise MissingInput("a reason is required to dismiss a case", "reason")
    review = _decide_open(session, case, user, now or utcnow())
    _event(session, case, user, "dismiss", S.DISMISSED, reason.strip())
    review.claimed_by_id = None
    review.claimed_until = None
    review.deadline = None
    review.deadline_kind = None
    session.flush()


def escalate(session: Session, case: Case, user: User, note: str | None = None,
             now: datetime | None = None) -> None:
    """Flag an open case for a senior decision; it stays open, its priority doubles, the claim is released."""
    review = _decide_open(session, case, user, now or utcnow())
    review.escalated = True
    review.claimed_by_id = None
    review.claimed_until = None
    _event(session, case, user, "escalate", None, (note or "").strip() or None)
    case.priority = (case.priority or 0.0) * 2
    session.flush()


def _need(value: Any, what: str, key: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MissingInput(f"{what} is required", key)
    return value.strip() if isinstance(value, str) else value


def advance(session: Session, case: Case, user: User, action: str, settings: Settings, *,
            reference: str | None = None, on: date | None = None, note: str | None = None,
            to: str | None = None, examination_on: date | None = None, track: str | None = None,
            level: str | None = None) -> None:
    """One due-process step after confirmation (see :data:`DUE_PROCESS`) with its references and dates.

    - ``forward``: ``to`` (bawaslu/bkn), ``reference`` (letter number), ``on``.
    - ``recommendation``: ``reference`` (recommendation number), ``on``.
    - ``summon``: ``reference`` (summons number), ``on``, ``examination_on`` at least
      ``summons_notice_workdays`` working days later; a second call records summons II.
    - ``examine``: ``reference`` (BAP number), ``on``.
    - ``decide``: ``track`` (ethics/discipline), ``level`` (as named by the PPK), ``reference`` (SK
      number), ``on``; the handover deadline is ``decision_handover_workdays`` working days later.
    - ``close``: an optional ``note``.
    """
    _require_decider(user)
    step = DUE_PROCESS.get(action)
    if step is None:
        raise InvalidTransition(f"unknown step {action!r}")
    if case.status not in step.sources:
        raise InvalidTransition(f"case {case.id} is {case.status}: cannot {action}")
    cal = calendar(settings)
    review = review_of(session, case)
    data: dict[str, Any] = {}
    deadline: tuple[date, str] | None = None
    if action != "close":
        data["reference"] = _need(reference, "a reference number", "reference")
        data["on"] = _need(on, "a date", "date").isoformat()
    if action == "forward":
        if to not in ("bawaslu", "bkn"):
            raise MissingInput("forward to 'bawaslu' or 'bkn'", "to")
        data["to"] = to
    elif action == "summon":
        exam = _need(examination_on, "the examination date", "examination_on")
        earliest = cal.add(on, settings.summons_notice_workdays)  # type: ignore[arg-type]
        if exam < earliest:
            raise MissingInput(f"the examination must be on or after {earliest.isoformat()} "
                               f"({settings.summons_notice_workdays} working days after the summons)",
                               "examination_too_early")
        previous = sum(1 for e in case.events if e.action == "summon")
        data.update(examination_on=exam.isoformat(), summons=previous + 1)
        deadline = (exam, "examination")
    elif action == "decide":
        if track not in {t.value for t in Track}:
            raise MissingInput("the track (ethics or discipline) is required", "track")
        data.update(track=track, level=_need(level, "the sanction level named by the PPK", "level"))
        deadline = (cal.add(on, settings.decision_handover_workdays), "handover")  # type: ignore[arg-type]
    _event(session, case, user, action, step.target, (note or "").strip() or None, data)
    review.deadline, review.deadline_kind = deadline if deadline else (None, None)
    session.flush()


def record_view(session: Session, case: Case, user: User, identity_shown: bool) -> None:
    """Audit one view of a case's personal data (the content, and the identity when shown)."""
    audit.record(session, user.username, "case.view", object_type="case", object_id=case.id,
                 details={"identity_shown": identity_shown, "role": user.role})


def identity_hidden(case: Case, settings: Settings) -> bool:
    """Blind review hides the employee until the first confirmation."""
    return settings.blind_review and case.status in (S.DETECTED, S.IN_TRIAGE)


def severity_weights(session: Session) -> dict[str, float]:
    """Severity weight of every violation code, from the editable reference table."""
    rows = session.execute(select(ViolationType.code, ViolationType.level)).all()
    return {code: SEVERITY.get(level, 1.0) for code, level in rows}


def priority(score: float | None, codes: list[Any], age_workdays: int, escalated: bool,
             weights: dict[str, float], settings: Settings) -> float:
    """The documented queue priority (module docstring)."""
    severity = max((weights.get(str(c), 1.0) for c in codes), default=1.0)
    value = (score or 0.0) * severity * (1.0 + max(age_workdays, 0) / settings.priority_age_workdays)
    return round(value * (2.0 if escalated else 1.0), 6)


def priority_changes(session: Session, settings: Settings, today: date | None = None) -> list[dict[str, Any]]:
    """``{"id", "priority"}`` for every open case whose stored priority is no longer the documented one."""
    today = today or utcnow().date()
    cal = calendar(settings)
    weights = severity_weights(session)
    escalated = set(session.scalars(select(CaseReview.case_id).where(CaseReview.escalated.is_(True))))
    rows = session.execute(
        select(Case.id, Case.score, Case.candidate_codes, Case.created_at, Case.priority)
        .where(Case.status.in_(OPEN))
    ).all()
    ages: dict[date, int] = {}
    changes = []
    for cid, score, codes, created, stored in rows:
        day = created.date()
        if day not in ages:
            ages[day] = cal.between(day, today)
        value = priority(score, codes or [], ages[day], cid in escalated, weights, settings)
        if stored is None or abs(stored - value) > 1e-9:
            changes.append({"id": cid, "priority": value})
    return changes


def apply_priorities(session: Session, changes: list[dict[str, Any]]) -> None:
    """Store priorities computed by :func:`priority_changes` (ORM bulk UPDATE by primary key)."""
    if changes:
        session.execute(update(Case), changes)


def refresh_priorities(session: Session, settings: Settings, today: date | None = None,
                       batch: int = 5000) -> int:
    """Recompute the priority of every open case (ages grow daily); returns how many changed.

    Long-running servers call :func:`priority_changes` and :func:`apply_priorities` per batch in short
    transactions instead, so that a refresh never holds the write lock for long.
    """
    changes = priority_changes(session, settings, today)
    for i in range(0, len(changes), batch):
        apply_priorities(session, changes[i:i + batch])
    log.info("refreshed the priority of %d open cases", len(changes))
    return len(changes)
