"""Everything the case page shows, gathered in one documented context object.

Both ends of each interaction (the employee's account and the target content), the archived evidence
(SHA-256, fetched-at), the classifier's verdict with its reasons, the candidate violation codes with the
conduct they name, the review state and the history. Identity fields are ``None`` while blind review
hides them (:func:`core.cases.identity_hidden`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core import cases
from core.models import (
    CandidatePair,
    Case,
    CaseEvent,
    CaseInteraction,
    CaseReview,
    Classification,
    ContentItem,
    Employee,
    Evidence,
    Interaction,
    SocialAccount,
    User,
    ViolationType,
    utcnow,
)
from core.settings import Settings


@dataclass
class InteractionView:
    """One interaction: what the account did, when, and with which evidence."""

    interaction: Interaction
    actor_handle: str | None
    own_text: str | None
    evidence: Evidence | None


@dataclass
class CaseContext:
    """The case page's template context."""

    case: Case
    review: CaseReview | None
    employee: Employee | None
    identity_hidden: bool
    target: ContentItem | None
    target_evidence: Evidence | None
    interactions: list[InteractionView]
    classification: Classification | None
    reasons: list[Any]
    pair: CandidatePair | None
    violations: list[ViolationType]
    events: list[CaseEvent]
    age: int
    claimed_by: str | None
    first_confirmed_by: str | None
    steps: list[str] = field(default_factory=list)
    today: date = field(default_factory=lambda: utcnow().date())


def load(db: Session, case: Case, settings: Settings) -> CaseContext:
    """Gather the case page (no audit here: the route records the view)."""
    hidden = cases.identity_hidden(case, settings)
    review = db.get(CaseReview, case.id)
    target = case.target_content
    classification = None
    if target is not None:
        q = select(Classification).where(Classification.content_id == target.id)
        if case.model_version:
            classification = db.scalars(q.where(Classification.model_version == case.model_version)).first()
        classification = classification or db.scalars(q.order_by(Classification.id.desc())).first()
    reasons = list(classification.reasons) if classification and classification.reasons else []
    if not reasons:
        reasons = list(case.details.get("reasons") or [])
    rows = db.execute(
        select(Interaction, SocialAccount.handle)
        .join(CaseInteraction, CaseInteraction.interaction_id == Interaction.id)
        .join(SocialAccount, SocialAccount.id == Interaction.actor_account_id)
        .where(CaseInteraction.case_id == case.id).order_by(Interaction.occurred_at)
        .options(joinedload(Interaction.own_content), joinedload(Interaction.evidence))
    ).all()
    interactions = [InteractionView(i, None if hidden else handle,
                                    i.own_content.text if i.own_content else None, i.evidence)
                    for i, handle in rows]
    pair = None
    if case.election_id and case.pair_number is not None:
        pair = db.scalars(select(CandidatePair).where(CandidatePair.election_id == case.election_id,
                                                      CandidatePair.number == case.pair_number)).first()
    codes = [str(c) for c in case.candidate_codes or []]
    by_code = {v.code: v for v in db.scalars(select(ViolationType).where(ViolationType.code.in_(codes)))}
    names = {}
    if review is not None:
        ids = [i for i in (review.claimed_by_id, review.first_confirmed_by_id) if i]
        names = dict(db.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
    now = utcnow()
    claimed = (names.get(review.claimed_by_id) if review and review.claimed_until
               and review.claimed_until > now and review.claimed_by_id else None)
    steps = [a for a, s in cases.DUE_PROCESS.items() if case.status in s.sources]
    return CaseContext(
        case=case, review=review, employee=None if hidden else case.employee, identity_hidden=hidden,
        target=target, target_evidence=target.evidence if target else None, interactions=interactions,
        classification=classification, reasons=reasons, pair=pair,
        violations=[by_code[c] for c in codes if c in by_code],
        events=list(db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))),
        age=cases.calendar(settings).between(case.created_at.date(), now.date()),
        claimed_by=claimed,
        first_confirmed_by=names.get(review.first_confirmed_by_id) if review and review.first_confirmed_by_id
        else None,
        steps=steps, today=now.date(),
    )
