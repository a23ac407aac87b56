"""The documented queue priority of a case, and the case's summary of its incidents.

    priority = (strongest + bonus) × (1 + age / priority_age_workdays) × (2 if escalated)

- ``strongest`` = the highest ``score × severity`` among the incidents in play: the open incidents when
  there are any (the work waiting), else the proven ones, else all. ``score`` is the classifier's
  score of the incident (0.5 when there is none, e.g. a report nobody classified; 1.0 when a reviewer
  ruled its target campaign content); ``severity`` the heaviest candidate code's weight in the editable
  reference table (:data:`SEVERITY`: moral 1, light 1, medium 2, medium or heavy 2.5, heavy 3,
  dismissal 4).
- ``bonus`` = ``priority_incident_bonus × (1 − 1/n)`` for ``n`` incidents in play: a person with many
  incidents comes first among equals, but the term stays below ``priority_incident_bonus`` however many
  there are, so ten likes never outrank one heavy lead by much.
- ``age`` = working days since the oldest incident in play was detected.

It is stored on the case (``Case.priority``) so that the queue can walk an index in this order; intake
and decisions store it for age 0 and :func:`refresh_priorities` brings every open case up to date (the
review UI runs it hourly, the scan after assessing).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.models import Case, CaseReview, Incident, TargetVerdict, ViolationType, utcnow
from core.models.cases import PROVEN
from core.settings import Settings
from core.workdays import WorkCalendar

log = logging.getLogger(__name__)
SEVERITY: dict[str, float] = {"moral": 1.0, "light": 1.0, "medium": 2.0, "medium_or_heavy": 2.5,
                              "heavy": 3.0, "dismissal": 4.0}
UNKNOWN_SCORE = 0.5
OPEN_STATUSES = ("detected", "in_triage", "awaiting_second")


@dataclass(frozen=True)
class IncidentFacts:
    """What the priority needs to know about one incident."""

    score: float | None
    codes: list[Any]
    outcome: str | None
    created_at: datetime
    campaign_verdict: bool = False


class IncidentLike(Protocol):
    """What :func:`summary_of` reads of an incident (an ORM row or a dict-like record)."""

    platform: str
    contest: str | None
    pair_number: int | None
    candidate_codes: list[Any]
    outcome: str | None
    joined_status: str | None
    supplementary: bool


def facet(kind: str, value: object) -> str:
    """One searchable token of a case's summary: ``p:`` platform, ``c:`` contest, ``k:`` code, ``n:`` pair."""
    return f"{kind}:{value}"


def summary_of(incidents: Iterable[IncidentLike]) -> dict[str, Any]:
    """What a queue line and its filters need about a case's incidents, kept on the case row
    (``Case.summary``) so that a queue page reads no incident: counts (all, open, new, supplementary),
    platforms, contests, and ``facets``, the tokens the filters match (any incident's platform, contest,
    code or pair number; ``w:open`` while an incident is open) as quoted strings of a JSON list, so
    ``LIKE '%"p:bluesky"%'`` finds them on every backend. Every writer of incidents (intake, decisions, verdicts,
    the migration) refreshes it."""
    total = open_ = new = extra = 0
    platforms: set[str] = set()
    contests: set[str] = set()
    facets: set[str] = set()
    for i in incidents:
        total += 1
        open_ += i.outcome is None
        new += i.outcome is None and i.joined_status is not None
        extra += bool(i.supplementary)
        platforms.add(i.platform)
        facets.add(facet("p", i.platform))
        if i.contest:
            contests.add(i.contest)
            facets.add(facet("c", i.contest))
        if i.pair_number is not None:
            facets.add(facet("n", i.pair_number))
        facets.update(facet("k", c) for c in i.candidate_codes or [])
    if open_:
        facets.add(facet("w", "open"))  # work waiting (the queue's "open" filter)
    return {"incidents": total, "open": open_, "new": new, "supplementary": extra, "platforms": sorted(platforms),
            "contests": sorted(contests), "facets": sorted(facets)}


def severity_weights(session: Session) -> dict[str, float]:
    """Severity weight of every violation code, from the editable reference table."""
    rows = session.execute(select(ViolationType.code, ViolationType.level)).all()
    return {code: SEVERITY.get(level, 1.0) for code, level in rows}


def severity(codes: Iterable[Any], weights: dict[str, float]) -> float:
    """The heaviest code's weight (1 when no code is known)."""
    return max((weights.get(str(c), 1.0) for c in codes), default=1.0)


def heaviest_code(codes: Iterable[Any], weights: dict[str, float]) -> str | None:
    """The code with the heaviest weight (ties: the first in order), for queue lines."""
    best: tuple[float, str] | None = None
    for code in codes:
        weight = weights.get(str(code), 1.0)
        if best is None or weight > best[0]:
            best = (weight, str(code))
    return best[1] if best else None


def in_play(incidents: list[IncidentFacts]) -> list[IncidentFacts]:
    """The incidents the priority is about: open ones, else proven ones, else all."""
    open_ = [i for i in incidents if i.outcome is None]
    if open_:
        return open_
    proven = [i for i in incidents if i.outcome == PROVEN]
    return proven or incidents


def priority(incidents: list[IncidentFacts], weights: dict[str, float], age_workdays: int, escalated: bool,
             settings: Settings) -> float:
    """The documented queue priority (module docstring)."""
    chosen = in_play(incidents)
    if not chosen:
        return 0.0
    strongest = max((1.0 if i.campaign_verdict else (UNKNOWN_SCORE if i.score is None else i.score))
                    * severity(i.codes, weights) for i in chosen)
    bonus = settings.priority_incident_bonus * (1.0 - 1.0 / len(chosen))
    value = (strongest + bonus) * (1.0 + max(age_workdays, 0) / settings.priority_age_workdays)
    return round(value * (2.0 if escalated else 1.0), 6)


def base_priority(incidents: list[IncidentFacts], weights: dict[str, float], bonus: float) -> float:
    """:func:`priority` at age 0, not escalated (what intake stores until the next refresh)."""
    chosen = in_play(incidents)
    if not chosen:
        return 0.0
    strongest = max((1.0 if i.campaign_verdict else (UNKNOWN_SCORE if i.score is None else i.score))
                    * severity(i.codes, weights) for i in chosen)
    return round(strongest + bonus * (1.0 - 1.0 / len(chosen)), 6)


def campaign_targets(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these target keys a reviewer's newest verdict ruled campaign content."""
    wanted = list(set(keys))
    latest: dict[str, tuple[int, str]] = {}
    for i in range(0, len(wanted), 1000):
        for vid, key, verdict in session.execute(
                select(TargetVerdict.id, TargetVerdict.target_key, TargetVerdict.verdict)
                .where(TargetVerdict.target_key.in_(wanted[i:i + 1000]))):
            if key not in latest or vid > latest[key][0]:
                latest[key] = (vid, verdict)
    return {k for k, (_, verdict) in latest.items() if verdict == "campaign"}


def facts_by_case(session: Session, case_ids: list[int]) -> dict[int, list[IncidentFacts]]:
    """The incidents' facts of each case (one query per thousand cases, plus the verdicts)."""
    rows: list[Any] = []
    for i in range(0, len(case_ids), 1000):
        rows += session.execute(select(Incident.case_id, Incident.target_key, Incident.score,
                                       Incident.candidate_codes, Incident.outcome, Incident.created_at)
                                .where(Incident.case_id.in_(case_ids[i:i + 1000]))).all()
    ruled = campaign_targets(session, [r[1] for r in rows])
    out: dict[int, list[IncidentFacts]] = defaultdict(list)
    for cid, key, score, codes, outcome, created in rows:
        out[cid].append(IncidentFacts(score, list(codes or []), outcome, created, key in ruled))
    return out


def summary_codes(incidents: list[IncidentFacts]) -> list[str]:
    """The case's codes: of its proven incidents once any is proven, else of every open incident."""
    proven = [i for i in incidents if i.outcome == PROVEN]
    chosen = proven or [i for i in incidents if i.outcome is None] or incidents
    codes: list[str] = []
    for i in chosen:
        codes += [str(c) for c in i.codes if str(c) not in codes]
    return codes


def summary_score(incidents: list[IncidentFacts]) -> float | None:
    scores = [i.score for i in in_play(incidents) if i.score is not None]
    return max(scores) if scores else None


def _age(cal: WorkCalendar, chosen: list[IncidentFacts], fallback: datetime, today: date,
         cache: dict[date, int]) -> int:
    day = min((i.created_at for i in chosen), default=fallback).date()
    if day not in cache:
        cache[day] = cal.between(day, today)
    return cache[day]


def priority_changes(session: Session, settings: Settings, today: date | None = None,
                     case_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """``{"id", "priority"}`` for every case with work waiting (an open status or an open incident) whose
    stored priority is no longer the documented one (or for ``case_ids``)."""
    today = today or utcnow().date()
    cal = WorkCalendar.of(settings.holidays, settings.weekend_days, settings.holiday_country)
    weights = severity_weights(session)
    escalated = set(session.scalars(select(CaseReview.case_id).where(CaseReview.escalated.is_(True))))
    query = select(Case.id, Case.created_at, Case.priority)
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    else:
        waiting = select(Incident.case_id).where(Incident.outcome.is_(None))
        query = query.where(Case.status.in_(OPEN_STATUSES) | Case.id.in_(waiting))
    rows = session.execute(query).all()
    facts = facts_by_case(session, [r[0] for r in rows])
    ages: dict[date, int] = {}
    changes = []
    for cid, created, stored in rows:
        mine = facts.get(cid, [])
        age = _age(cal, in_play(mine), created, today, ages)
        value = priority(mine, weights, age, cid in escalated, settings)
        if stored is None or abs(stored - value) > 1e-9:
            changes.append({"id": cid, "priority": value})
    return changes


def apply_priorities(session: Session, changes: list[dict[str, Any]]) -> None:
    """Store priorities computed by :func:`priority_changes` (ORM bulk UPDATE by primary key)."""
    if changes:
        session.execute(update(Case), changes)


def refresh_priorities(session: Session, settings: Settings, today: date | None = None,
                       batch: int = 5000, case_ids: list[int] | None = None) -> int:
    """Recompute the priority of every case with work waiting (ages grow daily); returns how many changed.

    Long-running servers call :func:`priority_changes` and :func:`apply_priorities` per batch in short
    transactions instead, so that a refresh never holds the write lock for long.
    """
    changes = priority_changes(session, settings, today, case_ids)
    for i in range(0, len(changes), batch):
        apply_priorities(session, changes[i:i + batch])
    log.info("refreshed the priority of %d case(s)", len(changes))
    return len(changes)
