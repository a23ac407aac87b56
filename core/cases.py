"""The case workflow: due-process state machine, four eyes on the case, claims, deadlines, versions.

A case is one employee in one Pilkada (:mod:`core.models.cases`); its incidents are judged one by one
and the case moves through due process as a whole. States are :class:`core.models.enums.CaseStatus`
(domain.md §3)::

    detected → in_triage → awaiting_second → confirmed → forwarded → recommendation_received
             → summoned (I, II) → examination → decided → closed
    detected / in_triage / awaiting_second → dismissed (reason required) → closed

Rules encoded here, so that every client (web, CLI, tests) obeys them:

- **Four eyes** on the case as a whole (:mod:`core.case_judging`): a first look marks the incidents,
  a second, different reviewer marks the same incidents; the case is confirmed when both agree that
  at least one incident is proven. Dismissing a case in triage needs one reviewer and a reason.
- **Versions** (:mod:`core.case_rules`): every decision names the case version it was made on; a
  decision on a replaced version is refused, naming who changed the case, and nothing changes.
- **Claims**: a reviewer holding an unexpired claim is the only one served that case; claims expire after
  ``Settings.claim_minutes``. Claiming is not a decision (no version), but it is race-safe.
- **Audit**: every decision writes a :class:`CaseEvent` *and* an audit event; so does every view of a
  case's personal data (:func:`record_view`).
- **Priority**: :mod:`core.case_priority` (documented function, refreshed hourly).
- **Verdicts on a target** for everyone who touched it: :mod:`core.target_verdicts`.

Functions change the session's objects and flush; the caller commits (one transaction per use case).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from core import audit
from core.case_judging import Mark, confirm, in_second_look, judge, looks, refresh_summary, second_look, to_look_at
from core.case_letters import archive_letter
from core.case_priority import (
    SEVERITY,
    apply_priorities,
    heaviest_code,
    priority,
    priority_changes,
    refresh_priorities,
    severity_weights,
)
from core.case_rules import (
    DECIDING_ROLES,
    ENDED,
    OPEN,
    ClaimConflict,
    FourEyesViolation,
    InvalidTransition,
    MissingInput,
    NotAllowed,
    S,
    StaleDecision,
    WorkflowError,
    bump,
    calendar,
    claim_held_by_other,
    clear_claim,
    event,
    require_decider,
    review_of,
    to_triage,
)
from core.models import NOT_PROVEN, PROVEN, Case, CaseReview, CaseStatus, Track, User, utcnow
from core.recusal import Recused as Recused
from core.recusal import ensure_not_recused
from core.settings import Settings
from core.target_verdicts import VERDICTS, VerdictResult, rule_on_target, seen_versions

log = logging.getLogger(__name__)

__all__ = [
    "DECIDING_ROLES",
    "DUE_PROCESS",
    "ENDED",
    "OPEN",
    "SEVERITY",
    "VERDICTS",
    "ClaimConflict",
    "FourEyesViolation",
    "InvalidTransition",
    "Mark",
    "MissingInput",
    "NotAllowed",
    "StaleDecision",
    "Step",
    "VerdictResult",
    "WorkflowError",
    "advance",
    "apply_priorities",
    "calendar",
    "claim",
    "confirm",
    "dismiss",
    "escalate",
    "heaviest_code",
    "identity_hidden",
    "in_second_look",
    "judge",
    "last_step_date",
    "local_today",
    "looks",
    "needs_review",
    "priority",
    "priority_changes",
    "record_view",
    "refresh_priorities",
    "release",
    "review_of",
    "rule_on_target",
    "second_look",
    "seen_versions",
    "severity_weights",
    "step_deadlines",
    "to_look_at",
]

DUE = (S.CONFIRMED, S.FORWARDED, S.RECOMMENDATION, S.SUMMONED, S.EXAMINATION, S.DECIDED)


@dataclass(frozen=True)
class Step:
    """One due-process step after confirmation: which states it leaves, which it enters (None: stays)."""

    action: str
    sources: tuple[CaseStatus, ...]
    target: CaseStatus | None


DUE_PROCESS: dict[str, Step] = {s.action: s for s in (
    Step("forward", (S.CONFIRMED,), S.FORWARDED),
    Step("forward_again", (S.FORWARDED, S.RECOMMENDATION), None),
    Step("forward_addendum", (S.FORWARDED, S.RECOMMENDATION, S.SUMMONED, S.EXAMINATION, S.DECIDED), None),
    Step("recommendation", (S.FORWARDED, S.RECOMMENDATION), S.RECOMMENDATION),
    Step("bkn_to_ppk", (S.RECOMMENDATION,), None),
    Step("summon", (S.RECOMMENDATION, S.SUMMONED), S.SUMMONED),
    Step("examine", (S.SUMMONED,), S.EXAMINATION),
    Step("report", (S.EXAMINATION,), None),
    Step("decide", (S.EXAMINATION,), S.DECIDED),
    Step("close", (S.DECIDED, S.DISMISSED), S.CLOSED),
)}


def needs_review(case: Case) -> bool:
    """Whether the case has work for a reviewer: it is in triage or an incident is open."""
    return case.status in OPEN or any(i.outcome is None for i in case.incidents)


def claim(session: Session, case: Case, user: User, settings: Settings, now: datetime | None = None) -> None:
    """Hold the case for ``user`` for ``claim_minutes``; a detected case enters triage."""
    require_decider(user)
    ensure_not_recused(case, user, settings)
    now = now or utcnow()
    if not needs_review(case):
        raise InvalidTransition(f"case {case.id} is {case.status}: only cases with work waiting are claimed")
    # The case row first, as every decision takes it first (PostgreSQL): two transactions never hold
    # the review row and the case row in opposite orders.
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    review = review_of(session, case)
    if claim_held_by_other(review, user, now):
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
        to_triage(session, case, user)
    session.flush()


def release(session: Session, case: Case, user: User) -> bool:
    """Give up ``user``'s claim; whether there was one to give up (another's claim stays)."""
    review = review_of(session, case)
    if review.claimed_by_id == user.id:
        clear_claim(review)
        session.flush()
        return True
    return False


def dismiss(session: Session, case: Case, user: User, reason: str, now: datetime | None = None, *,
            version: int | None) -> None:
    """Dismiss a case in triage: every open incident is closed as not proven with the reason."""
    if not reason or not reason.strip():
        raise MissingInput("a reason is required to dismiss a case", "reason")
    require_decider(user)
    now = now or utcnow()
    bump(session, case, version)
    if case.status not in OPEN:
        raise InvalidTransition(f"case {case.id} is {case.status}, not awaiting a triage decision")
    review = review_of(session, case)
    if claim_held_by_other(review, user, now):
        raise ClaimConflict(f"case {case.id} is claimed by another reviewer")
    closed = []
    for inc in case.incidents:
        if inc.outcome is None:
            inc.outcome, inc.outcome_reason, inc.outcome_source, inc.decided_at = (
                NOT_PROVEN, reason.strip(), "dismissal", now)
            closed.append(inc.id)
    event(session, case, user, "dismiss", S.DISMISSED, reason.strip(), {"incidents": closed})
    clear_claim(review)
    review.first_confirmed_by_id = None
    review.deadline = None
    review.deadline_kind = None
    refresh_summary(session, case, 1.0)
    session.flush()


def escalate(session: Session, case: Case, user: User, note: str | None = None, now: datetime | None = None,
             *, version: int | None) -> None:
    """Flag a case with work waiting for a senior decision; its priority doubles, the claim is released."""
    require_decider(user)
    now = now or utcnow()
    bump(session, case, version)
    if not needs_review(case):
        raise InvalidTransition(f"case {case.id} is {case.status}, nothing waits for a decision")
    review = review_of(session, case)
    if claim_held_by_other(review, user, now):
        raise ClaimConflict(f"case {case.id} is claimed by another reviewer")
    review.escalated = True
    clear_claim(review)
    event(session, case, user, "escalate", None, (note or "").strip() or None)
    case.priority = (case.priority or 0.0) * 2
    session.flush()


def _need(value: Any, what: str, key: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MissingInput(f"{what} is required", key)
    return value.strip() if isinstance(value, str) else value


def advance(session: Session, case: Case, user: User, action: str, settings: Settings, *,
            version: int | None, reference: str | None = None, on: date | None = None, note: str | None = None,
            to: str | None = None, examination_on: date | None = None, track: str | None = None,
            level: str | None = None, today: date | None = None, issuer: str | None = None,
            summary: str | None = None, letter: tuple[str, bytes] | None = None) -> None:
    """One due-process step of the case (see :data:`DUE_PROCESS`) with its references and dates.

    - ``forward``: ``to`` (bawaslu/bkn), ``reference`` (letter number), ``on``; carries every proven
      incident (addendum 0).
    - ``forward_addendum``: the same for supplementary incidents proven since (addendum 1, 2, …).
    - ``forward_again``: a further forwarding (to Bawaslu or BKN) while the first is pending or answered.
    - ``recommendation``: ``issuer`` (bawaslu/bkn), ``reference`` (recommendation number), ``on``,
      ``summary`` and optionally the ``letter`` (file name, bytes; hashed into the evidence archive).
      Bawaslu's and then BKN's recommendation are two such steps.
    - ``bkn_to_ppk``: BKN's letter forwarding the case to the PPK (``reference``, ``on``, optional letter).
    - ``summon``: ``reference`` (summons number), ``on``, ``examination_on`` at least
      ``summons_notice_workdays`` working days later; a second call records summons II.
    - ``examine``: ``reference`` (BAP number), ``on``.
    - ``report``: ``reference`` (LHP number), ``on``, optional ``summary``.
    - ``decide``: ``track`` (ethics/discipline), ``level`` (as named by the PPK), ``reference`` (SK
      number), ``on``; the handover deadline is ``decision_handover_workdays`` working days later.
    - ``close``: an optional ``note``.

    Every date is on or before ``today`` (the settings' time zone) and on or after the previous step's date
    (or the confirmation): a refusal names the field and the allowed value.
    """
    require_decider(user)
    ensure_not_recused(case, user, settings)
    step = DUE_PROCESS.get(action)
    if step is None:
        raise InvalidTransition(f"unknown step {action!r}")
    bump(session, case, version)
    if case.status not in step.sources:
        raise InvalidTransition(f"case {case.id} is {case.status}: cannot {action}")
    cal = calendar(settings)
    review = review_of(session, case)
    data: dict[str, Any] = {}
    deadline: tuple[date, str] | None = None
    if action != "close":
        data["reference"] = _need(reference, "a reference number", "reference")
        data["on"] = _need(on, "a date", "date").isoformat()
        _in_order(case, on, today or local_today(settings))  # type: ignore[arg-type]
    if action in ("forward", "forward_addendum", "forward_again"):
        if to not in ("bawaslu", "bkn"):
            raise MissingInput("to: forward to 'bawaslu' or 'bkn'", "to", "bawaslu, bkn")
        data["to"] = to
        if action != "forward_again":
            data.update(_forwarded(case, action))
    elif action == "recommendation":
        if issuer not in ("bawaslu", "bkn"):
            raise MissingInput("issuer: the recommendation is issued by 'bawaslu' or 'bkn'", "issuer",
                               "bawaslu, bkn")
        data.update(issuer=issuer, summary=_need(summary, "a summary of the recommendation", "summary"))
    elif action == "report" and summary and summary.strip():
        data["summary"] = summary.strip()
    elif action == "summon":
        exam = _need(examination_on, "the examination date", "examination_on")
        earliest = cal.add(on, settings.summons_notice_workdays)  # type: ignore[arg-type]
        if exam < earliest:
            raise MissingInput(f"examination_on: the examination must be on or after {earliest.isoformat()} "
                               f"({settings.summons_notice_workdays} working days after the summons)",
                               "examination_too_early", earliest.isoformat())
        previous = sum(1 for e in case.events if e.action == "summon")
        data.update(examination_on=exam.isoformat(), summons=previous + 1)
        deadline = (exam, "examination")
    elif action == "decide":
        if track not in {t.value for t in Track}:
            raise MissingInput("the track (ethics or discipline) is required", "track")
        data.update(track=track, level=_need(level, "the sanction level named by the PPK", "level"))
        deadline = (cal.add(on, settings.decision_handover_workdays), "handover")  # type: ignore[arg-type]
    if letter is not None and letter[1]:
        data.update(archive_letter(session, settings, letter[0], letter[1]))
    event(session, case, user, action, step.target, (note or "").strip() or None, data)
    if action not in ("forward_addendum", "forward_again", "bkn_to_ppk", "report"):
        review.deadline, review.deadline_kind = deadline if deadline else (None, None)
    session.flush()


def local_today(settings: Settings) -> date:
    """Today in the regency's time zone: the date a letter can carry at the latest."""
    return utcnow().astimezone(ZoneInfo(settings.default_timezone)).date()


def last_step_date(case: Case) -> date | None:
    """The date of the latest due-process step recorded (the floor for the next step's date).

    The letters' own dates count, not when they were typed in: a step may be recorded days after its letter."""
    latest: date | None = None
    for e in case.events:
        raw = (e.data or {}).get("on") if e.action in DUE_PROCESS else None
        if isinstance(raw, str):
            latest = max(latest or date.min, date.fromisoformat(raw))
    return latest


def _in_order(case: Case, on: date, today: date) -> None:
    """Refuse a step date in the future or before the previous step, naming the allowed bound."""
    if on > today:
        raise MissingInput(f"date: {on.isoformat()} is in the future; the latest allowed is {today.isoformat()}",
                           "date_future", today.isoformat())
    floor = last_step_date(case)
    if floor is not None and on < floor:
        raise MissingInput(f"date: {on.isoformat()} is before the previous step; the earliest allowed is "
                           f"{floor.isoformat()}", "date_order", floor.isoformat())


def step_deadlines(case: Case, settings: Settings, today: date) -> dict[str, tuple[date, str]]:
    """For each step the case can take now, its working-day deadline and what it bounds.

    ``forward``: forward within ``forward_deadline_workdays`` of the confirmation; ``summon``: the earliest
    examination date for a summons sent today; ``decide``: the SK handover a decision today must meet."""
    cal = calendar(settings)
    out: dict[str, tuple[date, str]] = {}
    since = last_step_date(case) or today
    for action, step in DUE_PROCESS.items():
        if case.status not in step.sources:
            continue
        if action == "forward":
            out[action] = (cal.add(since, settings.forward_deadline_workdays), "forward_by")
        elif action == "summon":
            out[action] = (cal.add(today, settings.summons_notice_workdays), "examination_from")
        elif action == "decide":
            out[action] = (cal.add(today, settings.decision_handover_workdays), "handover_by")
    return out


def _forwarded(case: Case, action: str) -> dict[str, Any]:
    """Mark the proven incidents a forwarding carries (all for ``forward``, the new ones for an addendum)."""
    earlier = [i.addendum for i in case.incidents if i.addendum is not None]
    number = 0 if action == "forward" else max(earlier, default=0) + 1
    carried = [i for i in case.incidents if i.outcome == PROVEN and i.addendum is None]
    if action == "forward_addendum" and not carried:
        raise InvalidTransition(f"case {case.id} has no proven supplementary incident to forward")
    for inc in carried:
        inc.addendum = number
    return {"addendum": number, "incidents": [i.id for i in carried]}


def record_view(session: Session, case: Case, user: User, identity_shown: bool) -> None:
    """Audit one view of a case's personal data (the content, and the identity when shown)."""
    audit.record(session, user.username, "case.view", object_type="case", object_id=case.id,
                 details={"identity_shown": identity_shown, "role": user.role, "version": case.version})


#: Statuses in which blind review hides the employee: the one rule the case page, the queue and search use.
BLIND_STATUSES: tuple[str, ...] = (S.DETECTED.value, S.IN_TRIAGE.value)


def identity_hidden(case: Case, settings: Settings) -> bool:
    """Blind review hides the employee until the first look of the case's first review is given."""
    return settings.blind_review and case.status in BLIND_STATUSES
