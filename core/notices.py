"""What a reviewer should act on now: cases waiting for *their* second confirmation, and due-process
deadlines due within ``notice_deadline_workdays`` working days (or already past).

Shared by the review UI's notifications page and the per-reviewer e-mail digest (:mod:`core.digest`), so
both say the same. Case numbers, units and dates only: no employee's name or NIP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cases import calendar
from core.models import Case, CaseReview, CaseStatus, Employee, Role, User, utcnow
from core.settings import Settings

#: Statuses after which no deadline matters any more.
_FINISHED = (CaseStatus.DISMISSED.value, CaseStatus.CLOSED.value)
LIMIT = 200


@dataclass(frozen=True)
class Notice:
    """One case to act on: ``kind`` is ``second_confirmation`` or ``deadline``."""

    kind: str
    case_id: int
    unit: str
    status: str
    deadline: date | None = None
    deadline_kind: str | None = None
    overdue: bool = False


def for_user(session: Session, settings: Settings, user: User, today: date | None = None) -> list[Notice]:
    """The notices of ``user`` (reviewers and admins decide cases; other roles get none)."""
    if user.role not in (Role.REVIEWER, Role.ADMIN):
        return []
    today = today or utcnow().date()
    waiting = session.execute(
        select(Case.id, Employee.unit, Case.status).join(Employee, Employee.id == Case.employee_id)
        .join(CaseReview, CaseReview.case_id == Case.id)
        .where(Case.status == CaseStatus.AWAITING_SECOND.value, CaseReview.first_confirmed_by_id != user.id)
        .order_by(Case.priority.desc()).limit(LIMIT)).all()
    notices = [Notice("second_confirmation", int(i), str(u), str(s)) for i, u, s in waiting]
    horizon = calendar(settings).add(today, settings.notice_deadline_workdays)
    due = session.execute(
        select(Case.id, Employee.unit, Case.status, CaseReview.deadline, CaseReview.deadline_kind)
        .join(Employee, Employee.id == Case.employee_id).join(CaseReview, CaseReview.case_id == Case.id)
        .where(CaseReview.deadline.is_not(None), CaseReview.deadline <= horizon, Case.status.not_in(_FINISHED))
        .order_by(CaseReview.deadline, Case.id).limit(LIMIT)).all()
    notices += [Notice("deadline", int(i), str(u), str(s), d, k, d is not None and d < today)
                for i, u, s, d, k in due]
    return notices
