"""Read-side queries of cases with their incidents: for the command line, reports and exports.

:func:`list_cases` / :func:`get_case` return ORM cases with the employee and incidents loaded;
:func:`case_records` returns plain, personal-data-free records of cases and their incidents for
aggregate reports (the desk report counts persons and incidents, per contest, from these). Filters on a
code, contest or platform match a case when any of its incidents matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, selectinload

from core.case_priority import heaviest_code, severity_weights
from core.errors import NotFound
from core.models import Case, Election, Employee, Incident, IncidentInteraction, Interaction


@dataclass(frozen=True)
class CaseFilter:
    """Filters of ``netral cases list``; None means any."""

    status: str | None = None
    unit: str | None = None
    platform: str | None = None
    code: str | None = None
    contest: str | None = None
    election_id: int | None = None
    limit: int = 200


def _incident_match(flt: CaseFilter) -> Any | None:
    """``case.id IN (incidents matching the filter)`` or None when no incident filter is set."""
    query = select(Incident.case_id)
    used = False
    if flt.platform:
        query, used = query.where(Incident.platform == flt.platform), True
    if flt.contest:
        query, used = query.where(Incident.contest == flt.contest), True
    if flt.code:  # JSON list membership: its text form holds the code quoted, on every backend
        query, used = query.where(cast(Incident.candidate_codes, String).like(f'%"{flt.code}"%')), True
    return Case.id.in_(query) if used else None


def list_cases(session: Session, flt: CaseFilter) -> list[Case]:
    """Cases matching ``flt``, highest priority first, with the employee and incidents loaded."""
    query = (select(Case).join(Employee, Employee.id == Case.employee_id)
             .options(selectinload(Case.employee), selectinload(Case.election),
                      selectinload(Case.incidents).selectinload(Incident.links))
             .order_by(Case.priority.desc(), Case.id))
    if flt.status:
        query = query.where(Case.status == flt.status)
    if flt.unit:
        query = query.where(Employee.unit.ilike(f"%{flt.unit}%"))
    if flt.election_id is not None:
        query = query.where(Case.election_id == flt.election_id)
    match = _incident_match(flt)
    if match is not None:
        query = query.where(match)
    return list(session.scalars(query.limit(flt.limit)))


def get_case(session: Session, case_id: int) -> Case:
    """One case with its employee, incidents (targets, marks, interactions) and events; :class:`NotFound`
    otherwise. A case id of before revision 0500 (now an incident's ``legacy_case_id``) finds its case."""
    options = (selectinload(Case.employee), selectinload(Case.election), selectinload(Case.events),
               selectinload(Case.incidents).selectinload(Incident.target_content),
               selectinload(Case.incidents).selectinload(Incident.marks),
               selectinload(Case.incidents).selectinload(Incident.links).selectinload(IncidentInteraction.interaction)
               .selectinload(Interaction.own_content))
    case = session.scalars(select(Case).where(Case.id == case_id).options(*options)).one_or_none()
    if case is None:
        legacy = session.scalar(select(Incident.case_id).where(Incident.legacy_case_id == case_id))
        if legacy is not None:
            case = session.scalars(select(Case).where(Case.id == legacy).options(*options)).one_or_none()
    if case is None:
        raise NotFound(f"no case #{case_id}")
    return case


@dataclass(frozen=True)
class IncidentRecord:
    """One incident, without personal data."""

    id: int
    target_key: str
    target_content_id: int | None
    platform: str
    contest: str | None
    pair_number: int | None
    stance: str | None
    score: float | None
    codes: list[str]
    outcome: str | None
    outcome_source: str | None
    supplementary: bool
    addendum: int | None
    interactions: int
    created_at: datetime


@dataclass(frozen=True)
class CaseRecord:
    """One case with its incidents, without personal data (the employee as id, unit and type)."""

    id: int
    election: str | None
    employee_id: int
    unit: str
    employee_type: str
    status: str
    sequence: int
    previous_case_id: int | None
    version: int
    priority: float
    codes: list[str]
    heaviest_code: str | None
    created_at: datetime
    incidents: list[IncidentRecord] = field(default_factory=list)

    @property
    def contests(self) -> list[str]:
        return sorted({i.contest for i in self.incidents if i.contest})

    @property
    def platforms(self) -> list[str]:
        return sorted({i.platform for i in self.incidents})

    @property
    def proven(self) -> list[IncidentRecord]:
        return [i for i in self.incidents if i.outcome == "proven"]

    def as_json(self) -> dict[str, Any]:
        """The ``netral cases list --format json`` object."""
        return {"id": self.id, "employee_id": self.employee_id, "election": self.election, "status": self.status,
                "incidents": len(self.incidents), "codes": self.codes, "heaviest_code": self.heaviest_code,
                "contests": self.contests, "platforms": self.platforms, "unit": self.unit,
                "employee_type": self.employee_type, "sequence": self.sequence,
                "previous_case_id": self.previous_case_id, "version": self.version,
                "priority": round(self.priority, 6), "created_at": self.created_at.isoformat(),
                "incident_list": [{"id": i.id, "target_key": i.target_key, "platform": i.platform,
                                   "contest": i.contest, "pair": i.pair_number, "codes": i.codes,
                                   "outcome": i.outcome, "supplementary": i.supplementary,
                                   "score": i.score} for i in self.incidents]}


def case_records(session: Session, flt: CaseFilter | None = None, *, batch: int = 2000) -> Iterator[CaseRecord]:
    """Every case matching ``flt`` (no limit unless set) with its incidents, in id order, a batch at a time."""
    flt = flt or CaseFilter(limit=0)
    weights = severity_weights(session)
    slugs = dict(session.execute(select(Election.id, Election.slug)).tuples().all())
    base = select(Case, Employee.unit, Employee.employee_type).join(Employee, Employee.id == Case.employee_id)
    if flt.status:
        base = base.where(Case.status == flt.status)
    if flt.unit:
        base = base.where(Employee.unit.ilike(f"%{flt.unit}%"))
    if flt.election_id is not None:
        base = base.where(Case.election_id == flt.election_id)
    match = _incident_match(flt)
    if match is not None:
        base = base.where(match)
    last, served = 0, 0
    while True:
        rows = session.execute(base.where(Case.id > last).order_by(Case.id).limit(batch)).all()
        if not rows:
            return
        last = rows[-1][0].id
        ids = [r[0].id for r in rows]
        links = dict(session.execute(
            select(IncidentInteraction.incident_id, func.count()).join(Incident, Incident.id ==
                                                                       IncidentInteraction.incident_id)
            .where(Incident.case_id.in_(ids)).group_by(IncidentInteraction.incident_id)).tuples().all())
        incidents: dict[int, list[IncidentRecord]] = {}
        for i in session.scalars(select(Incident).where(Incident.case_id.in_(ids)).order_by(Incident.id)):
            incidents.setdefault(i.case_id, []).append(IncidentRecord(
                i.id, i.target_key, i.target_content_id, i.platform, i.contest, i.pair_number, i.stance, i.score,
                [str(c) for c in i.candidate_codes or []], i.outcome, i.outcome_source, i.supplementary,
                i.addendum, int(links.get(i.id, 0)), i.created_at))
        for case, unit, etype in rows:
            codes = [str(c) for c in case.candidate_codes or []]
            yield CaseRecord(case.id, slugs.get(case.election_id) if case.election_id else None, case.employee_id,
                             unit, etype, case.status, case.sequence, case.previous_case_id, case.version,
                             case.priority, codes, heaviest_code(codes, weights), case.created_at,
                             incidents.get(case.id, []))
            served += 1
            if flt.limit and served >= flt.limit:
                return

