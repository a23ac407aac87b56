"""Everything the case page shows, gathered in one documented context object.

A case is a person in a Pilkada; the page lists its incidents, each with both ends of its interactions
(the employee's account and the target content), the archived evidence (SHA-256, fetched-at), the
classifier's verdict with its reasons, the contest and pair, the candidate codes with the conduct they
name, its reviewers' marks and its outcome; then the review state and the history. Identity fields are
``None`` while blind review hides them (:func:`core.cases.identity_hidden`); while a review waits for
its second look, the first look's marks are shown only to the reviewer who gave them (with blind review
on), so the second reviewer judges on their own.

A person may have hundreds of incidents: the page shows :data:`INCIDENTS_PER_PAGE` at a time, the ones
waiting for the viewer first (every incident of a second look on the first page, since a second look
covers the whole review), and everything it shows is read in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from core import cases
from core.case_priority import SEVERITY
from core.models import (
    CandidatePair,
    Case,
    CaseEvent,
    CaseReview,
    Classification,
    ContentItem,
    Contest,
    Employee,
    Evidence,
    Incident,
    IncidentInteraction,
    IncidentMark,
    Interaction,
    SocialAccount,
    TargetVerdict,
    User,
    ViolationType,
    utcnow,
)
from core.regime import Regime, regime_for
from core.settings import Settings

INCIDENTS_PER_PAGE = 50


@dataclass
class InteractionView:
    """One interaction: what the account did, when, and with which evidence."""

    interaction: Interaction
    actor_handle: str | None
    own_text: str | None
    evidence: Evidence | None


@dataclass
class IncidentView:
    """One incident of the case as the page shows it.

    ``markable`` says whether the viewer gives a mark to it in their current look; ``marks`` holds the
    marks the viewer may see; ``on_target`` counts the incidents on the same target in every case and
    ``seen`` is the version token a verdict on the target carries."""

    incident: Incident
    target: ContentItem | None
    target_evidence: Evidence | None
    interactions: list[InteractionView]
    classification: Classification | None
    reasons: list[Any]
    pair: CandidatePair | None
    contest: Contest | None
    violations: list[ViolationType]
    marks: list[IncidentMark]
    markable: bool
    hidden_marks: bool
    verdict: TargetVerdict | None
    on_target: int
    seen: str


@dataclass
class CaseContext:
    """The case page's template context."""

    case: Case
    review: CaseReview | None
    employee: Employee | None
    identity_hidden: bool
    incidents: list[IncidentView]
    look: int
    heaviest_level: str | None
    contests: list[str]
    events: list[CaseEvent]
    age: int
    claimed_by: str | None
    first_confirmed_by: str | None
    steps: list[str] = field(default_factory=list)
    deadlines: dict[str, tuple[date, str]] = field(default_factory=dict)  # step -> (working-day deadline, kind)
    today: date = field(default_factory=lambda: utcnow().date())
    incident_total: int = 0
    incident_page: int = 1
    incident_pages: int = 1

    @property
    def regime(self) -> Regime:
        """The rules this person's conduct is measured against (by employee type; not an identity)."""
        return regime_for(self.case.employee.employee_type)

    @property
    def shown(self) -> str:
        """The ids of the incidents this page shows (a confirmation covers exactly these)."""
        return ",".join(str(v.incident.id) for v in self.incidents)

    @property
    def target(self) -> ContentItem | None:
        """The first incident's target (pages and tests that show one target)."""
        return self.incidents[0].target if self.incidents else None


def seen_token(versions: dict[int, int]) -> str:
    """``case:version`` pairs of the cases a verdict form was rendered with."""
    return ",".join(f"{cid}:{v}" for cid, v in sorted(versions.items()))


def parse_seen(token: str) -> dict[int, int]:
    """The inverse of :func:`seen_token`; malformed parts are ignored (the check then refuses)."""
    out: dict[int, int] = {}
    for part in (token or "").split(","):
        cid, _, version = part.partition(":")
        if cid.strip().isdigit() and version.strip().isdigit():
            out[int(cid)] = int(version)
    return out


def _classifications(db: Session, incidents: list[Incident]) -> dict[int, Classification]:
    """The classification of each incident's target (its model version's, else the newest), in one query."""
    targets = {i.target_content_id for i in incidents if i.target_content_id is not None}
    rows = list(db.scalars(select(Classification).where(Classification.content_id.in_(targets))
                           .order_by(Classification.id))) if targets else []
    newest = {r.content_id: r for r in rows}
    by_version = {(r.content_id, r.model_version): r for r in rows}
    out = {}
    for inc in incidents:
        if inc.target_content_id is None:
            continue
        found = by_version.get((inc.target_content_id, inc.model_version or "")) or newest.get(inc.target_content_id)
        if found is not None:
            out[inc.id] = found
    return out


def _interactions(db: Session, incidents: list[Incident], hidden: bool) -> dict[int, list[InteractionView]]:
    """Each incident's interactions with the actor's handle, own text and evidence, in one query."""
    out: dict[int, list[InteractionView]] = {i.id: [] for i in incidents}
    if not incidents:
        return out
    rows = db.execute(
        select(IncidentInteraction.incident_id, Interaction, SocialAccount.handle)
        .join(Interaction, Interaction.id == IncidentInteraction.interaction_id)
        .join(SocialAccount, SocialAccount.id == Interaction.actor_account_id)
        .where(IncidentInteraction.incident_id.in_(list(out))).order_by(Interaction.occurred_at)
        .options(joinedload(Interaction.own_content), joinedload(Interaction.evidence))
    ).all()
    for iid, i, handle in rows:
        out[iid].append(InteractionView(i, None if hidden else handle, i.own_content.text if i.own_content else None,
                                        i.evidence))
    return out


def _ordered(incidents: list[Incident], markable: set[int], pending: set[int]) -> list[Incident]:
    """Waiting for the viewer first, then the rest still open, then the judged ones (each by id)."""
    return sorted(incidents, key=lambda i: (0 if i.id in pending else 1 if i.id in markable else
                                            2 if i.outcome is None else 3, i.id))


def _verdicts(db: Session, keys: list[str]) -> tuple[dict[str, TargetVerdict], dict[str, dict[int, int]],
                                                     dict[str, int]]:
    latest: dict[str, TargetVerdict] = {}
    for v in db.scalars(select(TargetVerdict).where(TargetVerdict.target_key.in_(keys)).order_by(TargetVerdict.id)):
        latest[v.target_key] = v
    seen: dict[str, dict[int, int]] = {k: {} for k in keys}
    for key, cid, version in db.execute(select(Incident.target_key, Case.id, Case.version)
                                        .join(Case, Case.id == Incident.case_id)
                                        .where(Incident.target_key.in_(keys), Incident.outcome.is_(None))):
        seen[key][cid] = version
    counts = dict(db.execute(select(Incident.target_key, func.count()).where(Incident.target_key.in_(keys))
                             .group_by(Incident.target_key)).tuples().all())
    return latest, seen, counts


def load(db: Session, case: Case, settings: Settings, viewer: User | None = None, page: int = 1) -> CaseContext:
    """Gather the case page (no audit here: the route records the view)."""
    hidden = cases.identity_hidden(case, settings)
    review = db.get(CaseReview, case.id)
    every = list(db.scalars(select(Incident).where(Incident.case_id == case.id).order_by(Incident.id)
                            .options(selectinload(Incident.marks))))
    look, scope = cases.looks(every, viewer) if viewer is not None else (1, [])
    markable = {i.id for i in scope}
    pending = {i.id for i in every if cases.in_second_look(i)}
    ordered = _ordered(every, markable, pending)
    size = max(INCIDENTS_PER_PAGE, len(pending))
    pages = max(1, -(-len(ordered) // size))
    page = min(max(1, page), pages)
    incidents = ordered[(page - 1) * size: page * size]
    targets = {i.target_content_id for i in incidents if i.target_content_id is not None}
    items = {c.id: c for c in db.scalars(select(ContentItem).where(ContentItem.id.in_(targets))
                                         .options(joinedload(ContentItem.evidence)))} if targets else {}
    codes = sorted({str(c) for i in every for c in i.candidate_codes or []})
    by_code = {v.code: v for v in db.scalars(select(ViolationType).where(ViolationType.code.in_(codes)))}
    contests = {c.slug: c for c in db.scalars(select(Contest).where(Contest.election_id == case.election_id))}
    pairs = {(p.contest_id, p.number): p for p in db.scalars(
        select(CandidatePair).where(CandidatePair.election_id == case.election_id))}
    latest, seen, counts = _verdicts(db, [i.target_key for i in incidents])
    classifications = _classifications(db, incidents)
    interactions = _interactions(db, incidents, hidden)
    views = []
    for inc in incidents:
        classification = classifications.get(inc.id)
        reasons = list(classification.reasons) if classification and classification.reasons else []
        contest = contests.get(inc.contest or "")
        if contest is None and len(contests) == 1:
            contest = next(iter(contests.values()))
        pair = pairs.get((contest.id, inc.pair_number)) if contest and inc.pair_number is not None else None
        blind_marks = (settings.blind_review and inc.id in pending and viewer is not None
                       and not any(m.reviewer_id == viewer.id for m in inc.marks))
        target = items.get(inc.target_content_id) if inc.target_content_id is not None else None
        views.append(IncidentView(
            incident=inc, target=target, target_evidence=target.evidence if target else None,
            interactions=interactions[inc.id], classification=classification,
            reasons=reasons or list((inc.details or {}).get("reasons") or []), pair=pair, contest=contest,
            violations=[by_code[str(c)] for c in inc.candidate_codes or [] if str(c) in by_code],
            marks=[] if blind_marks else list(inc.marks), markable=inc.id in markable, hidden_marks=blind_marks,
            verdict=latest.get(inc.target_key), on_target=int(counts.get(inc.target_key, 0)),
            seen=seen_token(seen.get(inc.target_key, {}))))
    proven = [by_code[str(c)] for i in every if i.outcome == "proven" for c in i.candidate_codes or []
              if str(c) in by_code]
    heaviest = max(proven, key=lambda v: SEVERITY.get(v.level, 1.0)).level if proven else None
    names: dict[int, str] = {}
    if review is not None:
        ids = [i for i in (review.claimed_by_id, review.first_confirmed_by_id) if i]
        names = dict(db.execute(select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())
    now = utcnow()
    claimed = (names.get(review.claimed_by_id) if review and review.claimed_until
               and review.claimed_until > now and review.claimed_by_id else None)
    steps = [a for a, s in cases.DUE_PROCESS.items() if case.status in s.sources]
    if "forward_addendum" in steps and not any(i.outcome == "proven" and i.addendum is None for i in every):
        steps.remove("forward_addendum")
    return CaseContext(
        case=case, review=review, employee=None if hidden else case.employee, identity_hidden=hidden,
        incidents=views, look=look, heaviest_level=heaviest,
        contests=sorted({i.contest for i in every if i.contest}),
        events=list(db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))),
        age=cases.calendar(settings).between(case.created_at.date(), now.date()),
        claimed_by=claimed,
        first_confirmed_by=names.get(review.first_confirmed_by_id) if review and review.first_confirmed_by_id
        else None,
        steps=steps, deadlines=cases.step_deadlines(case, settings, cases.local_today(settings)),
        today=now.date(), incident_total=len(every), incident_page=page,
        incident_pages=pages,
    )
