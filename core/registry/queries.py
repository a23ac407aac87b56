"""Read-side queries of the registries, returning plain data for the CLI and the web app."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.errors import NotFound
from core.models import Election, Employee, SocialAccount
from core.registry.nip import normalise_number


@dataclass
class RosterSummary:
    """Counts of the roster, for the demo and the dashboard (no personal data)."""

    employees: int = 0
    active_employees: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_unit: Counter[str] = field(default_factory=Counter)
    accounts_by_platform: Counter[str] = field(default_factory=Counter)
    active_accounts: int = 0


def list_employees(session: Session, *, unit: str | None = None, employee_type: str | None = None,
                   platform: str | None = None, include_inactive: bool = False,
                   search: str | None = None, limit: int | None = None) -> list[Employee]:
    """Employees with their accounts loaded, ordered by unit and name."""
    query = select(Employee).options(selectinload(Employee.accounts)).order_by(Employee.unit, Employee.name)
    if not include_inactive:
        query = query.where(Employee.active.is_(True))
    if unit:
        query = query.where(func.lower(Employee.unit).contains(unit.lower()))
    if employee_type:
        query = query.where(Employee.employee_type == employee_type.upper())
    if platform:
        query = query.where(Employee.accounts.any(
            (SocialAccount.platform == platform.lower()) & SocialAccount.active.is_(True)))
    if search:
        query = query.where(func.lower(Employee.name).contains(search.lower()))
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def get_employee(session: Session, key: str) -> Employee:
    """An employee by NIP / NI PPPK / staff number (spaces ignored); :class:`NotFound` otherwise."""
    number = normalise_number(key)
    employee = session.scalars(
        select(Employee).options(selectinload(Employee.accounts))
        .where(Employee.id_number.in_({key.strip(), number}))
    ).one_or_none()
    if employee is None:
        raise NotFound(f"no employee with number {key!r}")
    return employee


def roster_summary(session: Session) -> RosterSummary:
    """Aggregate counts of the roster."""
    summary = RosterSummary()
    for etype, active, count in session.execute(
        select(Employee.employee_type, Employee.active, func.count()).group_by(Employee.employee_type, Employee.active)
    ):
        summary.employees += count
        if active:
            summary.active_employees += count
            summary.by_type[etype] += count
    for unit, count in session.execute(
        select(Employee.unit, func.count()).where(Employee.active.is_(True)).group_by(Employee.unit)
    ):
        summary.by_unit[unit] = count
    for platform, count in session.execute(
        select(SocialAccount.platform, func.count()).where(SocialAccount.active.is_(True))
        .group_by(SocialAccount.platform)
    ):
        summary.accounts_by_platform[platform] = count
        summary.active_accounts += count
    return summary


def list_elections(session: Session) -> list[Election]:
    """All elections, newest voting day first."""
    return list(session.scalars(select(Election).order_by(Election.voting_day.desc(), Election.slug)))


def scheduled_elections(session: Session, slug: str | None = None) -> list[tuple[str, str]]:
    """(slug, time zone) of the Pilkada the scheduler scans: ``slug`` alone, else every active one.

    A regency can watch more than one Pilkada at once (a by-election beside the simultaneous one, or
    last cycle's still in due process while the registry of the next is prepared); each active one gets
    its own nightly scan, and an election marked ``active: false`` in its file is no longer scanned.
    """
    if slug:
        election = get_election(session, slug)
        return [(election.slug, election.timezone)]
    rows = session.execute(select(Election.slug, Election.timezone).where(Election.active.is_(True))
                           .order_by(Election.voting_day.desc(), Election.slug)).all()
    if not rows:
        raise NotFound("no active election: import one with `netral election import FILE.yaml` "
                       "(or name one with --election)")
    return [(s, tz) for s, tz in rows]


def get_election(session: Session, slug: str | None = None) -> Election:
    """The election ``slug``, or the only / newest one when no slug is given."""
    query = select(Election).options(selectinload(Election.pairs))
    if slug:
        election = session.scalars(query.where(Election.slug == slug)).one_or_none()
        if election is None:
            raise NotFound(f"no election {slug!r} (see `netral election list`)")
        return election
    election = session.scalars(query.order_by(Election.voting_day.desc()).limit(1)).first()
    if election is None:
        raise NotFound("no election imported yet: run `netral election import FILE.yaml`")
    return election
