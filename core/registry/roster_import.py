"""Import a roster file into the database as one transaction (upsert; ``sync`` deactivates the absent).

The function never commits: the caller's session scope commits, or rolls back for a dry run or on any
error, so a rejected file writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import InputFileError, Problem
from core.models import Employee, SocialAccount, utcnow
from core.registry.roster_rows import RosterRow, parse_roster
from core.registry.tabular import read_table

_TRACKED = ("employee_type", "name", "unit", "position", "active", "birth_date", "appointment", "gender")


@dataclass
class RosterImportReport:
    """What an import changed (or would change, in a dry run)."""

    path: str
    employees_created: int = 0
    employees_updated: int = 0
    employees_unchanged: int = 0
    employees_deactivated: int = 0
    accounts_created: int = 0
    accounts_reactivated: int = 0
    accounts_deactivated: int = 0
    changes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return any((self.employees_created, self.employees_updated, self.employees_deactivated,
                    self.accounts_created, self.accounts_reactivated, self.accounts_deactivated))


def _upsert_employee(session: Session, row: RosterRow, report: RosterImportReport) -> Employee:
    employee = session.scalars(select(Employee).where(Employee.id_number == row.id_number)).one_or_none()
    values = {"employee_type": row.employee_type.value, "name": row.name, "unit": row.unit,
              "position": row.position, "active": row.active, "birth_date": row.birth_date,
              "appointment": row.appointment, "gender": row.gender}
    if employee is None:
        employee = Employee(id_number=row.id_number, **values)
        session.add(employee)
        report.employees_created += 1
        report.changes.append(f"+ employee {row.id_number} {row.name} ({row.unit})")
        return employee
    diffs = [f"{k}: {getattr(employee, k)!r} → {values[k]!r}" for k in _TRACKED if getattr(employee, k) != values[k]]
    if diffs:
        for key in _TRACKED:
            setattr(employee, key, values[key])
        report.employees_updated += 1
        report.changes.append(f"~ employee {row.id_number} " + "; ".join(diffs))
    else:
        report.employees_unchanged += 1
    return employee


def _upsert_accounts(session: Session, path: str, row: RosterRow, employee: Employee,
                     report: RosterImportReport, errors: list[Problem]) -> set[int]:
    kept: set[int] = set()
    for platform, handle, column in row.accounts:
        account = session.scalars(select(SocialAccount).where(
            SocialAccount.platform == platform.value, SocialAccount.handle == handle)).one_or_none()
        if account is None:
            account = SocialAccount(employee=employee, platform=platform.value, handle=handle,
                                    declared_on=row.declared_on, active=True)
            session.add(account)
            report.accounts_created += 1
            report.changes.append(f"+ account {platform.value}:{handle} → {row.id_number}")
        elif account.employee_id != employee.id and employee.id is not None:
            owner = session.get(Employee, account.employee_id)
            owner_id = owner.id_number if owner else account.employee_id
            errors.append(Problem(path, row.row, column,
                                  f"{platform.value} account {handle} is already registered to employee {owner_id}"))
            continue
        elif not account.active:
            account.active, account.deactivated_at = True, None
            report.accounts_reactivated += 1
            report.changes.append(f"+ account {platform.value}:{handle} reactivated")
        session.flush()
        kept.add(account.id)
    return kept


def _sync(session: Session, ids: set[str], kept: set[int], report: RosterImportReport) -> None:
    now = utcnow()
    for account in session.scalars(select(SocialAccount).where(SocialAccount.active.is_(True))):
        if account.id not in kept:
            account.active, account.deactivated_at = False, now
            report.accounts_deactivated += 1
            report.changes.append(f"- account {account.platform}:{account.handle} deactivated")
    for employee in session.scalars(select(Employee).where(Employee.active.is_(True))):
        if employee.id_number not in ids:
            employee.active = False
            report.employees_deactivated += 1
            report.changes.append(f"- employee {employee.id_number} deactivated (absent from file)")


def import_roster(session: Session, path: Path, *, sync: bool = False, actor: str = "system") -> RosterImportReport:
    """Validate and upsert ``path``; raise :class:`InputFileError` listing every problem found."""
    parsed = parse_roster(read_table(path))
    if parsed.errors:
        raise InputFileError(parsed.errors)
    report = RosterImportReport(str(path), warnings=parsed.warnings)
    errors: list[Problem] = []
    kept: set[int] = set()
    for row in parsed.rows:
        employee = _upsert_employee(session, row, report)
        session.flush()
        kept |= _upsert_accounts(session, str(path), row, employee, report, errors)
    if errors:
        raise InputFileError(errors)
    if sync:
        _sync(session, {r.id_number for r in parsed.rows}, kept, report)
    session.flush()
    if report.changed:
        audit.record(session, actor, "roster.import", object_type="file", object_id=path.name, details={
            "employees_created": report.employees_created, "employees_updated": report.employees_updated,
            "employees_deactivated": report.employees_deactivated, "accounts_created": report.accounts_created,
            "accounts_reactivated": report.accounts_reactivated, "accounts_deactivated": report.accounts_deactivated,
            "sync": sync})
    return report
