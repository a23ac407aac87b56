"""Flags → incidents → cases: one case per employee per Pilkada, one incident per target.

The nightly scan calls :func:`open_or_update_many` with the flags of a batch of interactions whose
assessment met a rule (:func:`open_or_update` is the same for one flag); a report sent in about an
employee is a flag too and joins that employee's case. Each flag lands in the employee's *current* case
of its election (the one with the highest ``sequence``):

- no case yet → a case is opened (``detected``) with the flag's target as its first incident;
- the case is in triage (detected, in triage, awaiting its second confirmation) → a new target joins
  as a new incident, shown as new; it is not part of a confirmation already under way (the
  confirmation covers the incidents its reviewers saw) and waits for its own look;
- the case is confirmed or further in due process → a new target joins as a supplementary incident
  (tambahan) that needs its own two-person confirmation and goes to Bawaslu/BKN as an addendum;
- the case is closed or dismissed → a new case is opened for the same person and Pilkada, linked to
  the earlier one (``previous_case_id``), so repeat conduct is visible;
- the target is already an incident of the case → the interaction attaches to it (codes, elements
  and the strongest score merge in).

A flag about a target that a reviewer ruled "not campaign content" opens nothing unless the employee's
own text (a comment, a quote) is campaign content; the caller is told it was ``ruled_out``.

Nothing here decides a case; the workflow in :mod:`core.cases` belongs to people. Intake never raises a
case's ``version`` (an incident arriving is not a decision), but it holds the case row while it adds an
incident: a case whose status changed since it was read (a reviewer dismissed or closed it meanwhile)
is read again, so an incident never joins a case that was dismissed under it.

Concurrency: inserts of cases and incidents use ``ON CONFLICT DO NOTHING`` on their unique keys
(``employee × election × sequence``; ``case × target``), the arbiters when two workers race.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from core.case_priority import IncidentFacts, base_priority, severity_weights, summary_codes, summary_of
from core.ingest.upsert import chunks, insert_for
from core.models import Case, CaseEvent, CaseReview, Employee, Incident, IncidentInteraction, TargetVerdict, utcnow
from core.models.enums import CaseStatus
from core.regime import applicable

log = logging.getLogger(__name__)
SYSTEM_ACTOR = "system:scan"
TRIAGE = (CaseStatus.DETECTED.value, CaseStatus.IN_TRIAGE.value, CaseStatus.AWAITING_SECOND.value)
ENDED = (CaseStatus.CLOSED.value, CaseStatus.DISMISSED.value)
DEFAULT_INCIDENT_BONUS = 1.0  # Settings.priority_incident_bonus's default; the refresh applies the setting
_CASE: Table = Case.__table__  # type: ignore[assignment]
_INCIDENT: Table = Incident.__table__  # type: ignore[assignment]
_LINK: Table = IncidentInteraction.__table__  # type: ignore[assignment]
_EVENT: Table = CaseEvent.__table__  # type: ignore[assignment]
_REVIEW: Table = CaseReview.__table__  # type: ignore[assignment]


@dataclass
class Flag:
    """One interaction (or report) that met a rule, with everything its incident should carry."""

    interaction_id: int | None  # None for a report sent in by a person (no crawled interaction)
    employee_id: int
    platform: str
    target_key: str
    target_content_id: int | None
    election_id: int | None
    model_version: str
    score: float | None
    pair_number: int | None
    stance: str | None
    codes: list[str]
    elements: list[str]
    priority: float
    details: dict[str, Any] = field(default_factory=dict)
    contest: str | None = None
    own_text_campaign: bool = False  # the employee's own added text is campaign content (comment, quote)


@dataclass(frozen=True)
class Outcome:
    """What intake did with one flag: ``created`` (a new case), ``added`` (a new incident of an existing
    case), ``updated`` / ``unchanged`` (an existing incident), or ``ruled_out`` (nothing opened)."""

    what: str
    case_id: int | None
    incident_id: int | None


def target_key_for_content(content_id: int) -> str:
    """The grouping key of an incident about a content item."""
    return f"content:{content_id}"


def target_key_for_account(platform: str, handle: str) -> str:
    """The grouping key of an incident about a followed account."""
    return f"account:{platform}:{handle.lower()}"


def _merge(existing: list[Any], new: list[Any]) -> list[Any]:
    return existing + [x for x in new if x not in existing]


def ruled_out_targets(session: Session, keys: list[str]) -> set[str]:
    """Target keys whose newest reviewer verdict is "not campaign content"."""
    latest: dict[str, tuple[int, str]] = {}
    for part in chunks(sorted(set(keys))):
        for vid, key, verdict in session.execute(
                select(TargetVerdict.id, TargetVerdict.target_key, TargetVerdict.verdict)
                .where(TargetVerdict.target_key.in_(list(part)))):
            if key not in latest or vid > latest[key][0]:
                latest[key] = (vid, verdict)
    return {k for k, (_, v) in latest.items() if v == "not_campaign"}


@dataclass
class _Batch:
    """What one batch knows: current cases, their incidents, attachments (filled by :func:`_prefetch`)."""

    cases: dict[tuple[int, int | None], Case] = field(default_factory=dict)
    incidents: dict[tuple[int, str], Incident] = field(default_factory=dict)
    attached: set[tuple[int, int]] = field(default_factory=set)
    ruled_out: set[str] = field(default_factory=set)


def _key(flag: Flag) -> tuple[int, int | None]:
    return (flag.employee_id, flag.election_id)


def _load_cases(session: Session, keys: set[tuple[int, int | None]], batch: _Batch) -> None:
    employees = sorted({e for e, _ in keys})
    for part in chunks(employees):
        for case in session.scalars(select(Case).where(Case.employee_id.in_(list(part)))
                                    .execution_options(populate_existing=True)):
            key = (case.employee_id, case.election_id)
            if key in keys and (key not in batch.cases or case.sequence > batch.cases[key].sequence):
                batch.cases[key] = case
    ids = [c.id for c in batch.cases.values()]
    for part in chunks(ids):
        for inc in session.scalars(select(Incident).where(Incident.case_id.in_(list(part)))):
            batch.incidents[(inc.case_id, inc.target_key)] = inc


def _prefetch(session: Session, flags: list[Flag]) -> _Batch:
    batch = _Batch()
    _load_cases(session, {_key(f) for f in flags}, batch)
    ids = [f.interaction_id for f in flags if f.interaction_id is not None]
    for part in chunks(ids):
        batch.attached |= set(session.execute(
            select(IncidentInteraction.incident_id, IncidentInteraction.interaction_id)
            .where(IncidentInteraction.interaction_id.in_(list(part)))).tuples())
    batch.ruled_out = ruled_out_targets(session, [f.target_key for f in flags])
    return batch


def _hold(session: Session, batch: _Batch, flags: list[Flag]) -> None:
    """Take the row of every existing case this batch adds to, checking its status did not change since
    it was read; a changed case is read again (with its siblings) until the statuses hold."""
    for _ in range(5):
        touched = {id(c): c for f in flags if (c := batch.cases.get(_key(f))) is not None
                   and c.status not in ENDED and (c.id, f.target_key) not in batch.incidents}
        if not touched:
            return
        ids_in_order = sorted(c.id for c in touched.values())
        for part in chunks(ids_in_order):  # PostgreSQL: rows held in id order, like a verdict holds them
            session.execute(select(_CASE.c.id).where(_CASE.c.id.in_(list(part))).order_by(_CASE.c.id)
                            .with_for_update())
        by_status: dict[str, list[int]] = defaultdict(list)
        for case in touched.values():
            by_status[case.status].append(case.id)
        held: set[int] = set()
        for status, ids in by_status.items():
            for part in chunks(ids):
                held |= set(session.scalars(
                    update(_CASE).where(_CASE.c.id.in_(list(part)), _CASE.c.status == status)
                    .values(updated_at=utcnow()).returning(_CASE.c.id)))
        changed = [c for c in touched.values() if c.id not in held]
        if not changed:
            return
        log.info("%d case(s) changed status while a scan batch was adding to them; reading them again",
                 len(changed))
        _load_cases(session, {(c.employee_id, c.election_id) for c in changed}, batch)
    raise RuntimeError("cases kept changing status during intake")


def _incident_values(case_id: int, flag: Flag, joined: str | None, supplementary: bool) -> dict[str, Any]:
    return {
        "case_id": case_id, "target_key": flag.target_key, "target_content_id": flag.target_content_id,
        "platform": flag.platform, "contest": flag.contest, "pair_number": flag.pair_number,
        "stance": flag.stance, "score": flag.score, "priority": flag.priority, "model_version": flag.model_version,
        "candidate_codes": list(flag.codes), "rule_elements": list(flag.elements), "details": dict(flag.details),
        "outcome": None, "supplementary": supplementary, "joined_status": joined,
    }


def _new_cases(session: Session, flags: list[Flag], batch: _Batch) -> set[int]:
    """Open a case for every key of the batch that has none or whose current case ended; returns their ids."""
    wanted: dict[tuple[int, int | None], dict[str, Any]] = {}
    for flag in flags:
        key = _key(flag)
        if key in wanted or (flag.target_key in batch.ruled_out and not flag.own_text_campaign):
            continue
        current = batch.cases.get(key)
        if current is None or current.status in ENDED:
            wanted[key] = {
                "election_id": flag.election_id, "employee_id": flag.employee_id,
                "sequence": 1 if current is None else current.sequence + 1,
                "previous_case_id": None if current is None else current.id,
                "status": CaseStatus.DETECTED.value, "version": 1, "priority": flag.priority, "score": flag.score,
                "candidate_codes": list(flag.codes), "details": {}}
    if not wanted:
        return set()
    stmt = insert_for(session, _CASE).on_conflict_do_nothing(  # type: ignore[attr-defined]
        index_elements=["employee_id", "election_id", "sequence"]).returning(_CASE.c.id)
    created: set[int] = set()
    for part in chunks(list(wanted.values())):
        created.update(row[0] for row in session.execute(stmt, list(part)))
    review = insert_for(session, _REVIEW).on_conflict_do_nothing(index_elements=["case_id"])  # type: ignore[attr-defined]
    for part in chunks([{"case_id": c, "escalated": False, "updated_at": utcnow()} for c in sorted(created)]):
        session.execute(review, list(part))
    _load_cases(session, set(wanted), batch)
    lost = [k for k in wanted if batch.cases[k].id not in created]
    if lost:
        log.info("%d case(s) were opened concurrently by another worker; adding to them", len(lost))
    return created


def _within_regime(session: Session, flags: list[Flag]) -> list[Flag]:
    """Each flag with only the codes its employee's regime allows (no HD- codes for contract staff).

    Rule elements are written ``"KE-4/HD-6: liked …"``; their code prefix is cut down the same way.
    """
    ids = sorted({f.employee_id for f in flags})
    types: dict[int, str] = {}
    for part in chunks(ids):
        types.update({i: t for i, t in session.execute(select(Employee.id, Employee.employee_type)
                                                      .where(Employee.id.in_(list(part))))})
    out = []
    for flag in flags:
        kind = types.get(flag.employee_id)
        codes = applicable(flag.codes, kind)
        if codes == flag.codes:
            out.append(flag)
            continue
        elements = []
        for element in flag.elements:
            head, sep, rest = element.partition(": ")
            kept = applicable(head.split("/"), kind) if sep else None
            elements.append(f"{'/'.join(kept)}: {rest}" if kept else element)
        out.append(replace(flag, codes=codes, elements=elements))
    return out


def open_or_update_many(session: Session, flags: list[Flag]) -> list[Outcome]:
    """:func:`open_or_update` for a batch of flags, in order, with the same outcome for each.

    A batch costs a few statements, not a round trip per flag: the current cases and incidents are
    read in two queries, new cases, incidents, links and events are inserted in one statement each.
    """
    if not flags:
        return []
    session.flush()  # pending ORM changes first: the statements below bypass the unit of work
    flags = _within_regime(session, flags)
    batch = _prefetch(session, flags)
    _hold(session, batch, flags)
    created_cases = _new_cases(session, flags, batch)
    outcomes: list[Outcome | None] = [None] * len(flags)
    fresh: dict[tuple[int, str], tuple[int, Flag]] = {}
    for n, flag in enumerate(flags):
        if flag.target_key in batch.ruled_out and not flag.own_text_campaign:
            outcomes[n] = Outcome("ruled_out", None, None)
            continue
        case = batch.cases[_key(flag)]
        if (case.id, flag.target_key) not in batch.incidents and (case.id, flag.target_key) not in fresh:
            fresh[(case.id, flag.target_key)] = (n, flag)
    new_ids = _insert_incidents(session, fresh, batch, created_cases)
    links: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    touched: set[int] = set()
    for n, flag in enumerate(flags):
        if outcomes[n] is not None:
            continue
        case = batch.cases[_key(flag)]
        incident = batch.incidents[(case.id, flag.target_key)]
        first = fresh.get((case.id, flag.target_key), (None, None))[1] is flag and incident.id in new_ids
        attached = _attach(batch, incident, flag, links)
        if first:
            what = "created" if case.id in created_cases else "added"
            events.append(_event(case, incident, "detected" if what == "created" else "incident_added", flag))
        else:
            changed = _update(incident, flag) or attached
            what = "updated" if changed else "unchanged"
            if attached:
                events.append(_event(case, incident, "interaction_attached", flag))
        if what != "unchanged":
            touched.add(case.id)
        outcomes[n] = Outcome(what, case.id, incident.id)
    for table, rows in ((_LINK, links), (_EVENT, events)):
        for part in chunks(rows):
            session.execute(insert(table), list(part))
    _summarise(session, [c for c in batch.cases.values() if c.id in touched], batch)
    session.flush()
    return [o for o in outcomes if o is not None]


def _insert_incidents(session: Session, fresh: dict[tuple[int, str], tuple[int, Flag]], batch: _Batch,
                      created_cases: set[int]) -> set[int]:
    if not fresh:
        return set()
    by_id = {c.id: c for c in batch.cases.values()}
    rows = []
    for (case_id, _), (_, flag) in fresh.items():
        case = by_id[case_id]
        opening = case_id in created_cases and case.status == CaseStatus.DETECTED.value and not any(
            k[0] == case_id for k in batch.incidents)
        joined = None if opening or case.status == CaseStatus.DETECTED.value else case.status
        rows.append(_incident_values(case_id, flag, joined, case.status not in TRIAGE))
    stmt = insert_for(session, _INCIDENT).on_conflict_do_nothing(  # type: ignore[attr-defined]
        index_elements=["case_id", "target_key"]).returning(_INCIDENT.c.id)
    now = utcnow()
    new_ids: set[int] = set()
    for part in chunks(rows):
        new_ids.update(r[0] for r in session.execute(stmt, [{**r, "created_at": now, "updated_at": now}
                                                            for r in part]))
    cases = sorted({k[0] for k in fresh})
    for part in chunks(cases):
        for inc in session.scalars(select(Incident).where(Incident.case_id.in_(list(part)))):
            batch.incidents[(inc.case_id, inc.target_key)] = inc
    return new_ids


def _attach(batch: _Batch, incident: Incident, flag: Flag, links: list[dict[str, Any]]) -> bool:
    if flag.interaction_id is None or (incident.id, flag.interaction_id) in batch.attached:
        return False
    batch.attached.add((incident.id, flag.interaction_id))
    links.append({"incident_id": incident.id, "interaction_id": flag.interaction_id, "attached_at": utcnow()})
    return True


def _update(incident: Incident, flag: Flag) -> bool:
    """Merge a repeated flag on the same target into its incident; whether anything changed."""
    codes = _merge(list(incident.candidate_codes), flag.codes)
    elements = _merge(list(incident.rule_elements), flag.elements)
    changed = codes != incident.candidate_codes or elements != incident.rule_elements
    incident.candidate_codes, incident.rule_elements = codes, elements
    if flag.score is not None and (incident.score is None or flag.score > incident.score):
        incident.score, incident.pair_number, incident.stance = flag.score, flag.pair_number, flag.stance
        incident.model_version, incident.contest = flag.model_version, flag.contest or incident.contest
        changed = True
    incident.priority = max(incident.priority, flag.priority)
    return changed


def _event(case: Case, incident: Incident, action: str, flag: Flag) -> dict[str, Any]:
    data: dict[str, Any] = {"interaction_id": flag.interaction_id, "codes": flag.codes,
                            "target_key": flag.target_key, "contest": flag.contest}
    if action == "detected":
        data["model_version"] = flag.model_version
    if action == "incident_added":
        data.update(supplementary=bool(incident.supplementary), joined_status=incident.joined_status)
    return {"case_id": case.id, "incident_id": incident.id, "actor": SYSTEM_ACTOR, "action": action,
            "from_status": case.status if action != "detected" else None, "to_status": case.status,
            "note": None, "data": data, "at": utcnow()}


def _summarise(session: Session, cases: list[Case], batch: _Batch) -> None:
    """The touched cases' score, codes and (age-0) priority from their incidents."""
    if not cases:
        return
    weights = severity_weights(session)
    by_case: dict[int, list[Incident]] = defaultdict(list)
    for (cid, _), inc in batch.incidents.items():
        by_case[cid].append(inc)
    rows = []
    for case in cases:
        facts = [IncidentFacts(i.score, list(i.candidate_codes or []), i.outcome, i.created_at or utcnow())
                 for i in by_case[case.id]]
        value = base_priority(facts, weights, DEFAULT_INCIDENT_BONUS)
        scores = [f.score for f in facts if f.score is not None and f.outcome is None]
        row: dict[str, Any] = {"id": case.id, "priority": max(case.priority or 0.0, value),
                               "summary": summary_of(by_case[case.id])}
        if case.status in TRIAGE:
            row["candidate_codes"] = summary_codes(facts)
        if scores:
            row["score"] = max([*scores, *([case.score] if case.score is not None else [])])
        rows.append(row)
    for part in chunks(rows):
        session.execute(update(Case), list(part))
    for case in cases:
        session.expire(case)


def open_or_update(session: Session, flag: Flag) -> Outcome:
    """The outcome of one flag (see the module docstring)."""
    return open_or_update_many(session, [flag])[0]
