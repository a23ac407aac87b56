"""A reviewer's verdict on a target, for everyone who touched it.

When one post is wrongly flagged (a neutral KPU announcement that forty employees liked), a reviewer
rules once instead of forty times:

- ``not_campaign``: every open incident on the target, in every case, is closed as not proven with the
  ruling's reason; cases in triage left with no open incident are dismissed; later flags about the
  target open nothing (unless the employee's own text is campaign content); the ruling is a negative
  label for retraining (``netral cases export-decisions``). Incidents two reviewers already proved
  stand: a two-person decision is not undone by one reviewer (the result names them).
- ``campaign``: the priority of every case with an incident on the target rises (the incident counts
  with score 1.0) but nothing is confirmed: every incident still needs its two looks.

The ruling is versioned like every decision: the reviewer's page lists the cases it saw with their
versions (``seen``); when one of them changed since, the ruling is refused whole (:class:`StaleDecision`)
and nothing is applied. Cases are held in id order, so two rulings never wait on each other.
Every ruling is audited and written to every affected case's history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.case_judging import refresh_summary, settle
from core.case_rules import OPEN, MissingInput, StaleDecision, bump, event, last_change, require_decider
from core.models import NOT_PROVEN, PROVEN, Case, Incident, TargetVerdict, User, utcnow
from core.settings import Settings

log = logging.getLogger(__name__)
VERDICTS = ("not_campaign", "campaign")


@dataclass
class VerdictResult:
    """What a ruling did."""

    verdict: TargetVerdict
    closed: list[int] = field(default_factory=list)  # incident ids closed as not proven
    dismissed: list[int] = field(default_factory=list)  # case ids dismissed
    untouched_proven: list[int] = field(default_factory=list)  # incidents two reviewers proved
    cases: list[int] = field(default_factory=list)


def on_target(session: Session, target_key: str) -> list[tuple[Incident, Case]]:
    """Every incident on the target with its case, oldest first."""
    return [(i, c) for i, c in session.execute(
        select(Incident, Case).join(Case, Case.id == Incident.case_id)
        .where(Incident.target_key == target_key).order_by(Incident.id)).tuples()]


def seen_versions(session: Session, target_key: str) -> dict[int, int]:
    """``{case id: version}`` of the cases with an open incident on the target (what a page shows)."""
    return {c.id: c.version for i, c in on_target(session, target_key) if i.outcome is None}


def rule_on_target(session: Session, settings: Settings, target_key: str, user: User, verdict: str, reason: str,
                   *, seen: dict[int, int], now: datetime | None = None) -> VerdictResult:
    """Rule on one target for every incident on it (module docstring); the caller commits."""
    require_decider(user)
    if verdict not in VERDICTS:
        raise MissingInput(f"a verdict is one of {', '.join(VERDICTS)}", "verdict")
    if not (reason or "").strip():
        raise MissingInput("a reason is required for a verdict on a target", "reason")
    now = now or utcnow()
    found = on_target(session, target_key)
    if not found:
        raise MissingInput(f"no incident has target {target_key}", "verdict")
    open_cases = sorted({c.id for i, c in found if i.outcome is None} | set(seen))
    result = VerdictResult(TargetVerdict(target_key=target_key, verdict=verdict, reason=reason.strip(),
                                         decided_by=user.username, decided_at=now,
                                         target_content_id=found[0][0].target_content_id, incidents=[]))
    cases = {c.id: c for _, c in found}
    if verdict == "not_campaign":
        for cid in open_cases:
            case = cases.get(cid) or session.get(Case, cid)
            if case is None:
                continue
            current = case.version
            if cid in seen and seen[cid] != current:
                who, when = last_change(session, cid)
                raise StaleDecision(cid, seen[cid], current, who, when)
            bump(session, case, seen.get(cid, current))
            cases[cid] = case
    session.add(result.verdict)
    for cid in open_cases if verdict == "not_campaign" else sorted({c.id for _, c in found}):
        _apply(session, settings, cases[cid], target_key, user, result, now)
    result.verdict.incidents = sorted(result.closed) if verdict == "not_campaign" else sorted(
        i.id for i, _ in found)
    result.cases = open_cases
    audit.record(session, user.username, "target.verdict", object_type="target", object_id=target_key,
                 details={"verdict": verdict, "reason": reason.strip(), "closed": result.closed,
                          "dismissed": result.dismissed, "untouched_proven": result.untouched_proven,
                          "cases": result.cases})
    session.flush()
    log.info("verdict %s on %s by %s: %d incident(s) closed, %d case(s) dismissed", verdict, target_key,
             user.username, len(result.closed), len(result.dismissed))
    return result


def _apply(session: Session, settings: Settings, case: Case, target_key: str, user: User, result: VerdictResult,
           now: datetime) -> None:
    mine = [i for i in case.incidents if i.target_key == target_key]
    note = f"{result.verdict.verdict}: {result.verdict.reason}"
    for inc in mine:
        if result.verdict.verdict == "not_campaign" and inc.outcome is None:
            inc.outcome, inc.outcome_source, inc.decided_at = NOT_PROVEN, "verdict", now
            inc.outcome_reason = f"ruled not campaign content: {result.verdict.reason}"
            result.closed.append(inc.id)
            event(session, case, user, "target_verdict", None, note, {"verdict": "not_campaign",
                                                                       "target_key": target_key}, inc.id)
        elif inc.outcome == PROVEN and result.verdict.verdict == "not_campaign":
            result.untouched_proven.append(inc.id)
        elif result.verdict.verdict == "campaign":
            event(session, case, user, "target_verdict", None, note, {"verdict": "campaign",
                                                                       "target_key": target_key}, inc.id)
    session.flush()
    if result.verdict.verdict == "not_campaign" and case.status in OPEN:
        before = case.status
        settle(session, case, user, now, reason=f"every incident closed; target ruled not campaign content: "
                                                f"{result.verdict.reason}")
        if case.status != before and case.status == "dismissed":
            result.dismissed.append(case.id)
    refresh_summary(session, case, settings.priority_incident_bonus)
