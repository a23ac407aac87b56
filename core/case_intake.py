"""Flags → cases: one case per employee per target, repeated interactions attach to it.

The nightly scan calls :func:`open_or_update_many` with the flags of a batch of interactions whose
assessment met a rule (:func:`open_or_update` is the same for one flag). The
case starts in ``detected`` and carries what a reviewer needs to judge the lead: the model version,
score, pair, stance, candidate violation codes and the rule elements met. Nothing here decides a case;
the workflow in :mod:`core.cases` belongs to people.

Concurrency: two workers never race on one case when shards are split by employee, but the unique key
``(employee_id, target_key)`` is still the arbiter — a lost race is retried as an update.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.ingest.upsert import chunks, insert_for
from core.models import Case, CaseEvent, CaseInteraction
from core.models.enums import CaseStatus

log = logging.getLogger(__name__)
SYSTEM_ACTOR = "system:scan"
_CASE: Table = Case.__table__  # type: ignore[assignment]
_LINK: Table = CaseInteraction.__table__  # type: ignore[assignment]
_EVENT: Table = CaseEvent.__table__  # type: ignore[assignment]


@dataclass
class Flag:
    """One interaction that met a rule, with everything the case should carry."""

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


def target_key_for_content(content_id: int) -> str:
    """The grouping key of a case about a content item."""
    return f"content:{content_id}"


def target_key_for_account(platform: str, handle: str) -> str:
    """The grouping key of a case about a followed account."""
    return f"account:{platform}:{handle.lower()}"


def _merge(existing: list[Any], new: list[Any]) -> list[Any]:
    return existing + [x for x in new if x not in existing]


@dataclass
class IntakeCache:
    """What one batch already knows, so each flag costs no lookup query (filled by :func:`prefetch`)."""

    cases: dict[tuple[int, str], Case] = field(default_factory=dict)
    attached: set[tuple[int, int]] = field(default_factory=set)


def prefetch(session: Session, flags: list[Flag]) -> IntakeCache:
    """The cases and attachments a batch of flags may touch, in two queries."""
    cache = IntakeCache()
    employees = {f.employee_id for f in flags}
    keys = {(f.employee_id, f.target_key) for f in flags}
    if employees:
        for case in session.scalars(select(Case).where(Case.employee_id.in_(employees))):
            if (case.employee_id, case.target_key) in keys:
                cache.cases[(case.employee_id, case.target_key)] = case
        ids = [f.interaction_id for f in flags if f.interaction_id is not None]
        cache.attached = set(session.execute(select(CaseInteraction.case_id, CaseInteraction.interaction_id)
                                             .where(CaseInteraction.interaction_id.in_(ids))).tuples())
    return cache


def _attach(session: Session, case: Case, flag: Flag, cache: IntakeCache | None = None) -> bool:
    if flag.interaction_id is None:
        return False
    if cache is not None:
        if (case.id, flag.interaction_id) in cache.attached:
            return False
        cache.attached.add((case.id, flag.interaction_id))
    else:
        already = session.scalar(select(CaseInteraction.id).where(
            CaseInteraction.case_id == case.id, CaseInteraction.interaction_id == flag.interaction_id))
        if already is not None:
            return False
    session.add(CaseInteraction(case_id=case.id, interaction_id=flag.interaction_id))
    return True


def _update(session: Session, case: Case, flag: Flag, cache: IntakeCache | None = None) -> bool:
    attached = _attach(session, case, flag, cache)
    codes = _merge(list(case.candidate_codes), flag.codes)
    elements = _merge(list(case.rule_elements), flag.elements)
    changed = attached or codes != case.candidate_codes or elements != case.rule_elements
    case.candidate_codes, case.rule_elements = codes, elements
    if flag.score is not None and (case.score is None or flag.score > case.score):
        case.score, case.pair_number, case.stance = flag.score, flag.pair_number, flag.stance
        case.model_version = flag.model_version
        changed = True
    case.priority = max(case.priority, flag.priority)
    if attached:
        session.add(CaseEvent(case_id=case.id, actor=SYSTEM_ACTOR, action="interaction_attached",
                              from_status=case.status, to_status=case.status,
                              data={"interaction_id": flag.interaction_id, "codes": flag.codes}))
    return changed


def _case_values(flag: Flag) -> dict[str, Any]:
    return {
        "election_id": flag.election_id, "employee_id": flag.employee_id, "target_key": flag.target_key,
        "target_content_id": flag.target_content_id, "platform": flag.platform, "status": CaseStatus.DETECTED.value,
        "priority": flag.priority, "score": flag.score, "pair_number": flag.pair_number, "stance": flag.stance,
        "model_version": flag.model_version, "candidate_codes": list(flag.codes),
        "rule_elements": list(flag.elements), "details": dict(flag.details),
    }


def _detected_event(case_id: int, flag: Flag) -> dict[str, Any]:
    return {"case_id": case_id, "actor": SYSTEM_ACTOR, "action": "detected", "from_status": None,
            "to_status": CaseStatus.DETECTED.value,
            "data": {"interaction_id": flag.interaction_id, "codes": flag.codes, "model_version": flag.model_version}}


def _create(session: Session, flag: Flag) -> Case:
    case = Case(**_case_values(flag))
    with session.begin_nested():
        session.add(case)
        session.flush()
    if flag.interaction_id is not None:
        session.add(CaseInteraction(case_id=case.id, interaction_id=flag.interaction_id))
    session.add(CaseEvent(**_detected_event(case.id, flag)))
    return case


def open_or_update(session: Session, flag: Flag, cache: IntakeCache | None = None) -> tuple[Case, str]:
    """The case for ``flag`` and what happened to it: ``created``, ``updated`` or ``unchanged``.

    With a ``cache`` from :func:`prefetch` (a batch of flags), no lookup query is needed per flag.
    """
    query = select(Case).where(Case.employee_id == flag.employee_id, Case.target_key == flag.target_key)
    key = (flag.employee_id, flag.target_key)
    case = cache.cases.get(key) if cache is not None else session.scalars(query).one_or_none()
    if case is None:
        try:
            case = _create(session, flag)
        except IntegrityError:
            log.info("case for employee %s / %s opened concurrently; updating it", flag.employee_id,
                     flag.target_key)
            case = session.scalars(query).one()
        else:
            if cache is not None:
                cache.cases[key] = case
                if flag.interaction_id is not None:
                    cache.attached.add((case.id, flag.interaction_id))
            return case, "created"
    changed = _update(session, case, flag, cache)
    return case, "updated" if changed else "unchanged"


def open_or_update_many(session: Session, flags: list[Flag]) -> list[tuple[Case, str]]:
    """:func:`open_or_update` for a batch of flags, in order, with the same outcome for each.

    The batch's new cases are inserted in one statement, and their first attachments and ``detected``
    events in two more, instead of a savepoint and a flush per case: a scan's intake of thousands of
    flags is bound by round trips. A case another worker inserted meanwhile is left alone by the insert
    (``ON CONFLICT DO NOTHING`` on the unique key, the arbiter) and its flags update it instead.
    """
    cache = prefetch(session, flags)
    first: dict[tuple[int, str], Flag] = {}
    for flag in flags:
        key = (flag.employee_id, flag.target_key)
        if key not in cache.cases:
            first.setdefault(key, flag)
    created = _insert_cases(session, first, cache)
    results: list[tuple[Case, str]] = []
    for flag in flags:
        key = (flag.employee_id, flag.target_key)
        case = cache.cases[key]
        if case.id in created and first.get(key) is flag:
            results.append((case, "created"))
        else:
            results.append((case, "updated" if _update(session, case, flag, cache) else "unchanged"))
    return results


def _insert_cases(session: Session, first: dict[tuple[int, str], Flag], cache: IntakeCache) -> set[int]:
    """Insert a case per key (its first flag), fill ``cache`` with the case of every key; the ids created."""
    if not first:
        return set()
    session.flush()  # pending ORM changes first: the statements below bypass the unit of work
    stmt = insert_for(session, _CASE).on_conflict_do_nothing(  # type: ignore[attr-defined]
        index_elements=["employee_id", "target_key"]).returning(_CASE.c.id)
    created: set[int] = set()
    for part in chunks([_case_values(f) for f in first.values()]):
        created.update(row[0] for row in session.execute(stmt, list(part)))
    employees = sorted({employee for employee, _ in first})
    for part in chunks(employees):
        for case in session.scalars(select(Case).where(Case.employee_id.in_(list(part)))):
            if (case.employee_id, case.target_key) in first:
                cache.cases[(case.employee_id, case.target_key)] = case
    links, events = [], []
    for key, flag in first.items():
        case_id = cache.cases[key].id
        if case_id not in created:
            log.info("case for employee %s / %s opened concurrently; updating it", *key)
            continue
        if flag.interaction_id is not None:
            links.append({"case_id": case_id, "interaction_id": flag.interaction_id})
            cache.attached.add((case_id, flag.interaction_id))
        events.append(_detected_event(case_id, flag))
    for table, rows in ((_LINK, links), (_EVENT, events)):
        for part in chunks(rows):
            session.execute(insert(table), list(part))
    return created
