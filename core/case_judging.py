"""Judging a case: each incident marked proven or not proven, four eyes on the case as a whole.

A *review* of a case is two looks at the same set of incidents by two different reviewers:

1. **First look** — the reviewer marks every incident waiting for a look (``proven``, or ``not_proven``
   with a reason). The review covers exactly the incidents the reviewer marked, i.e. those the page
   showed them: an incident that arrived after the page was rendered is not in it and waits.
   When no incident is marked proven, they are closed as not proven at once (one reviewer may dismiss,
   with a reason, as before); otherwise the review waits for a second look (``awaiting_second``).
2. **Second look** — another reviewer marks the same incidents (with blind review on, without seeing
   the first reviewer's marks until theirs are saved). An incident is proven when both marked it
   proven; otherwise it is not proven (the reason given, or "the two reviewers did not agree").

The case is **confirmed** when a review ends with at least one proven incident: its codes become those
of the proven incidents, incidents still waiting join as supplementary (tambahan). A review ending with
none proven returns the case to triage when incidents are still waiting, else dismisses it.

After confirmation, incidents that arrive (supplementary) go through the same two looks while the case
stays where it is in due process; proven ones go to Bawaslu/BKN as an addendum of the same case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from core.case_priority import (
    IncidentFacts,
    base_priority,
    campaign_targets,
    severity_weights,
    summary_codes,
    summary_of,
)
from core.case_rules import (
    OPEN,
    FourEyesViolation,
    InvalidTransition,
    MissingInput,
    S,
    bump,
    calendar,
    claim_held_by_other,
    clear_claim,
    event,
    expect,
    expect_stored,
    require_decider,
    review_of,
    to_triage,
)
from core.case_rules import ClaimConflict as ClaimConflict
from core.models import NOT_PROVEN, PROVEN, Case, CaseStatus, Incident, IncidentMark, User, utcnow
from core.recusal import ensure_not_recused
from core.settings import Settings

log = logging.getLogger(__name__)
MARKS = (PROVEN, NOT_PROVEN)
DISAGREED = "the two reviewers did not agree that this incident is proven"


@dataclass(frozen=True)
class Mark:
    """One reviewer's judgement of one incident."""

    mark: str
    reason: str | None = None


def first_mark(incident: Incident) -> IncidentMark | None:
    return next((m for m in incident.marks if m.stage == 1), None)


def in_second_look(incident: Incident) -> bool:
    """Open, looked at once, waiting for the second look."""
    stages = {m.stage for m in incident.marks}
    return incident.outcome is None and 1 in stages and 2 not in stages


def waiting(incident: Incident) -> bool:
    """Open and not looked at yet."""
    return incident.outcome is None and not incident.marks


def second_look(case: Case) -> list[Incident]:
    """The incidents of the review under way, waiting for their second look."""
    return [i for i in case.incidents if in_second_look(i)]


def looks(incidents: list[Incident], user: User) -> tuple[int, list[Incident]]:
    """Which look ``user`` would give now and on which of these incidents (a case's all): ``(2, …)`` for
    the second look of the review under way (empty if ``user`` gave its first look), else
    ``(1, incidents waiting)``."""
    pending = [i for i in incidents if in_second_look(i)]
    if pending:
        mine = any((m := first_mark(i)) is not None and m.reviewer_id == user.id for i in pending)
        return 2, [] if mine else pending
    return 1, [i for i in incidents if waiting(i)]


def to_look_at(case: Case, user: User) -> tuple[int, list[Incident]]:
    """:func:`looks` on the case's incidents."""
    return looks(list(case.incidents), user)


def _close(incident: Incident, outcome: str, reason: str | None, source: str, now: datetime) -> None:
    incident.outcome, incident.outcome_reason, incident.outcome_source = outcome, reason, source
    incident.decided_at = now


def _check_values(marks: dict[int, Mark]) -> None:
    """What can be checked before the case is read: a mark for something, each valid, reasons given."""
    if not marks:
        raise MissingInput("mark at least one incident proven or not proven", "marks")
    for iid, m in marks.items():
        if m.mark not in MARKS:
            raise MissingInput(f"incident {iid}: mark it proven or not_proven", "marks")
        if m.mark == NOT_PROVEN and not (m.reason or "").strip():
            raise MissingInput(f"incident {iid}: a reason is required for 'not proven'", "reason")


def _check_marks(marks: dict[int, Mark], scope: list[Incident], stage: int) -> None:
    ids = {i.id for i in scope}
    unknown = sorted(set(marks) - ids)
    if unknown:
        raise MissingInput(f"incident(s) {unknown} are not part of this look", "marks")
    missing = sorted(ids - set(marks)) if stage == 2 else []
    if missing:
        raise MissingInput(f"every incident of this review needs a mark (missing: {missing})", "marks")


def judge(session: Session, case: Case, user: User, settings: Settings, marks: dict[int, Mark], *,
          version: int | None, note: str | None = None, now: datetime | None = None) -> CaseStatus:
    """One look at a case (module docstring); returns the case's status afterwards."""
    require_decider(user)
    ensure_not_recused(case, user, settings)
    _check_values(marks)
    now = now or utcnow()
    bump(session, case, version)
    review = review_of(session, case)
    if claim_held_by_other(review, user, now):
        raise ClaimConflict(f"case {case.id} is claimed by another reviewer")
    stage, scope = to_look_at(case, user)
    if stage == 2 and not scope:
        raise FourEyesViolation("a second, different reviewer must give the second look of this review")
    _check_marks(marks, scope, stage)
    if case.status == S.DETECTED:
        to_triage(session, case, user)
    chosen = [i for i in scope if i.id in marks]
    for inc in chosen:
        m = marks[inc.id]
        inc.marks.append(IncidentMark(stage=stage, reviewer_id=user.id, reviewer=user.username, mark=m.mark,
                                      reason=(m.reason or "").strip() or None, at=now))
    session.flush()
    data: dict[str, Any] = {"marks": {str(i.id): marks[i.id].mark for i in chosen}}
    clear_claim(review)
    if stage == 1:
        _first_look(session, case, user, review, chosen, marks, now, note, data)
    else:
        _second_look(session, case, user, settings, review, chosen, now, note, data)
    refresh_summary(session, case, settings.priority_incident_bonus)
    session.flush()
    return CaseStatus(case.status)


def _first_look(session: Session, case: Case, user: User, review: Any, chosen: list[Incident],
                marks: dict[int, Mark], now: datetime, note: str | None, data: dict[str, Any]) -> None:
    triage = case.status in OPEN
    if any(marks[i.id].mark == PROVEN for i in chosen):
        review.first_confirmed_by_id = user.id
        event(session, case, user, "confirm_first" if triage else "supplement_first",
              S.AWAITING_SECOND if triage else None, note, data)
        return
    for inc in chosen:
        _close(inc, NOT_PROVEN, marks[inc.id].reason, "review", now)
    event(session, case, user, "judge", None, note, data)
    settle(session, case, user, now, reason=None)


def _second_look(session: Session, case: Case, user: User, settings: Settings, review: Any,
                 chosen: list[Incident], now: datetime, note: str | None, data: dict[str, Any]) -> None:
    triage = case.status in OPEN
    proven = []
    for inc in chosen:
        first, second = sorted(inc.marks, key=lambda m: m.stage)[:2]
        if first.mark == PROVEN and second.mark == PROVEN:
            _close(inc, PROVEN, None, "review", now)
            inc.supplementary = inc.supplementary or not triage
            proven.append(inc.id)
        else:
            _close(inc, NOT_PROVEN, second.reason or first.reason or DISAGREED, "review", now)
    data.update(proven=proven, first_confirmed_by_id=review.first_confirmed_by_id)
    review.first_confirmed_by_id = None
    if not triage:
        event(session, case, user, "supplement_confirmed" if proven else "supplement_judged", None, note, data)
        return
    if proven:
        for inc in case.incidents:
            if inc.outcome is None:
                inc.supplementary = True
        event(session, case, user, "confirm_second", S.CONFIRMED, note, data)
        review.deadline = calendar(settings).add(now.date(), settings.forward_deadline_workdays)
        review.deadline_kind = "forward"
        return
    event(session, case, user, "judge", None, note, data)
    settle(session, case, user, now, reason=None)


def settle(session: Session, case: Case, user: User | str, now: datetime, reason: str | None) -> None:
    """Put a case in triage in the status its incidents call for: awaiting a second look while a review
    is under way, in triage while incidents wait, dismissed when none is open any more."""
    if case.status not in OPEN:
        return
    if any(in_second_look(i) for i in case.incidents):
        target = S.AWAITING_SECOND
    elif any(i.outcome is None for i in case.incidents):
        target = S.IN_TRIAGE if case.status != S.DETECTED else S.DETECTED
    else:
        target = S.DISMISSED
    if target != case.status:
        review = review_of(session, case)
        if target == S.DISMISSED:
            review.deadline = review.deadline_kind = None
            clear_claim(review)
        if target != S.AWAITING_SECOND:
            review.first_confirmed_by_id = None
        event(session, case, user, "dismiss" if target == S.DISMISSED else "reopen", target,
              reason if target == S.DISMISSED else None)


def confirm(session: Session, case: Case, user: User, settings: Settings, note: str | None = None,
            now: datetime | None = None, *, version: int | None, only: set[int] | None = None) -> CaseStatus:
    """Mark every incident of the current look proven (the one-key "confirm"); returns the new status.

    ``only`` restricts a first look to the incidents the reviewer's page showed (a page shows a slice
    of a large case); a second look covers the whole review, so it is refused unless all were shown."""
    expect(session, case, version)
    stage, scope = to_look_at(case, user)
    if stage == 2 and not scope:
        expect_stored(session, case.id, version)
        raise FourEyesViolation("a second, different reviewer must confirm this case")
    if only is not None:
        scope = [i for i in scope if i.id in only] if stage == 1 else scope
    if not scope:
        expect_stored(session, case.id, version)
        raise InvalidTransition(f"case {case.id} has no incident waiting for a look")
    return judge(session, case, user, settings, {i.id: Mark(PROVEN) for i in scope}, version=version, note=note,
                 now=now)


def refresh_summary(session: Session, case: Case, bonus: float = 1.0) -> None:
    """The case's score, codes and age-0 priority from its incidents (the hourly refresh adds age)."""
    incidents = list(case.incidents)
    ruled = campaign_targets(session, [i.target_key for i in incidents])
    facts = [IncidentFacts(i.score, list(i.candidate_codes or []), i.outcome, i.created_at or utcnow(),
                           i.target_key in ruled) for i in incidents]
    case.candidate_codes = summary_codes(facts)
    case.summary = summary_of(incidents)
    scores = [i.score for i in incidents if i.score is not None and i.outcome != NOT_PROVEN]
    case.score = max(scores) if scores else case.score
    review = review_of(session, case)
    value = base_priority(facts, severity_weights(session), bonus)
    case.priority = value * (2.0 if review.escalated else 1.0)
    log.debug("case %s: codes %s, priority %.3f", case.id, case.candidate_codes, case.priority)
