"""Recusal: a reviewer does not judge colleagues of their own unit (conflict of interest).

A reviewer's ``unit`` is the roster unit they work in. While ``NETRAL_RECUSAL`` is on (the default), cases
about employees of that unit are not served to them in the queue and any decision they try on one is
refused; a regency too small to have reviewers outside every unit can turn it off. Reviewers without a
unit, and admins, are not recused (an admin's decisions are audited like everyone's).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_

from core.case_rules import WorkflowError
from core.models import Case, Employee, User
from core.models.users import Role
from core.settings import Settings


class Recused(WorkflowError):
    """The reviewer works in the unit of the employee the case is about."""

    http_status = 403


def recused_unit(user: User, settings: Settings) -> str | None:
    """The unit whose cases ``user`` must not judge, or None."""
    if not settings.recusal or user.role == Role.ADMIN or not user.unit:
        return None
    return user.unit.strip() or None


def not_recused(user: User, settings: Settings) -> Any:
    """SQL condition (needs ``Employee`` joined): the case is not about the reviewer's own unit."""
    unit = recused_unit(user, settings)
    if unit is None:
        return None
    return or_(Employee.unit.is_(None), Employee.unit != unit)


def ensure_not_recused(case: Case, user: User, settings: Settings) -> None:
    """Refuse a decision by a reviewer of the employee's own unit."""
    unit = recused_unit(user, settings)
    if unit is not None and case.employee.unit == unit:
        raise Recused(f"case {case.id} is about an employee of {unit}, the reviewer's own unit")
