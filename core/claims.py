"""Releasing a claim: only its holder, or an administrator, gives a case back to the queue.

Anyone else is told who holds the case and until when, and nothing changes. An administrator releasing
another reviewer's claim (someone left for the day holding cases) is recorded in the case history and the
audit log with the holder's name. The workflow's own :func:`core.cases.release` gives back only the caller's
claim; this module adds the administrator's case and the wording of what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import cases
from core.case_rules import clear_claim, event, require_decider, review_of
from core.models import Case, Role, User, utcnow

RELEASED = "released"                  # the caller's own claim was given back
RELEASED_FOR_OTHER = "released_for_other"  # an administrator gave back another reviewer's claim
NOT_HELD = "not_held"                  # nobody held the case (or the claim had run out): nothing changed
HELD_BY_OTHER = "held_by_other"        # another reviewer holds it and the caller may not release it


@dataclass(frozen=True)
class Release:
    """What a release request did; ``holder``/``until`` describe the claim that was (or stays) there."""

    outcome: str
    holder: str | None = None
    until: datetime | None = None

    @property
    def changed(self) -> bool:
        return self.outcome in (RELEASED, RELEASED_FOR_OTHER)


def release(session: Session, case: Case, user: User, now: datetime | None = None) -> Release:
    """Release the claim on ``case`` if ``user`` holds it or is an administrator (see the module doc)."""
    now = now or utcnow()
    require_decider(user)
    # The case row first, as claims and decisions take it (PostgreSQL): no lock-order inversion.
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    review = review_of(session, case)
    session.refresh(review)
    if review.claimed_by_id is None or review.claimed_until is None or review.claimed_until <= now:
        return Release(NOT_HELD)
    holder = session.get(User, review.claimed_by_id)
    name = holder.display_name if holder is not None else "?"
    if review.claimed_by_id == user.id:
        cases.release(session, case, user)
        return Release(RELEASED, name, review.claimed_until)
    if user.role != Role.ADMIN:
        return Release(HELD_BY_OTHER, name, review.claimed_until)
    until = review.claimed_until
    clear_claim(review)
    event(session, case, user, "claim_release", None, None,
          {"holder": holder.username if holder is not None else None, "until": until.isoformat()})
    session.flush()
    return Release(RELEASED_FOR_OTHER, name, until)
