"""Read-side queries of cases for the command line (the review UI has its own queue views)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.errors import NotFound
from core.models import Case, CaseInteraction, Employee, Interaction


@dataclass(frozen=True)
class CaseFilter:
    """Filters of ``netral cases list``; None means any."""

    status: str | None = None
    unit: str | None = None
    platform: str | None = None
    code: str | None = None
    election_id: int | None = None
    limit: int = 200


def list_cases(session: Session, flt: CaseFilter) -> list[Case]:
    """Cases matching ``flt``, highest priority first, with the employee loaded."""
    query = (select(Case).join(Employee, Employee.id == Case.employee_id).options(selectinload(Case.employee))
             .order_by(Case.priority.desc(), Case.id))
    if flt.status:
        query = query.where(Case.status == flt.status)
    if flt.unit:
        query = query.where(Employee.unit.ilike(f"%{flt.unit}%"))
    if flt.platform:
        query = query.where(Case.platform == flt.platform)
    if flt.election_id is not None:
        query = query.where(Case.election_id == flt.election_id)
    cases = list(session.scalars(query))
    if flt.code:  # JSON list membership, portable across SQLite and PostgreSQL
        cases = [c for c in cases if flt.code in c.candidate_codes]
    return cases[: flt.limit]


def get_case(session: Session, case_id: int) -> Case:
    """One case with its employee, target, events and interactions; :class:`NotFound` otherwise."""
    case = session.scalars(
        select(Case).where(Case.id == case_id).options(
            selectinload(Case.employee), selectinload(Case.target_content), selectinload(Case.events),
            selectinload(Case.links).selectinload(CaseInteraction.interaction).selectinload(Interaction.own_content),
        )
    ).one_or_none()
    if case is None:
        raise NotFound(f"no case #{case_id}")
    return case
