"""Assess interactions against the SKB rules and open or update cases (the scan's third stage).

For every interaction the active model version has not assessed yet: rebuild the predictions of its
target and of the actor's own text from the stored classifications, tell whether the target's author
(or the followed account) is an official campaign account of any contest of the Pilkada, place the date
in the Pilkada's calendar (in its time zone), and ask :func:`nlp.assess.assess` for candidate codes.
Every interaction is assessed against all contests at once; the flag names the contest and pair.
An interaction that meets a rule becomes (part of) an incident of its employee's case for the Pilkada;
every interaction gets an Assessment row, so a rerun skips it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, aliased

from core.case_intake import Flag, open_or_update_many, target_key_for_account, target_key_for_content
from core.ingest.upsert import upsert
from core.models import (
    Assessment,
    CampaignAccount,
    CandidatePair,
    Classification,
    ContentItem,
    Contest,
    Election,
    Interaction,
    SocialAccount,
    utcnow,
)
from nlp.assess import Interaction as NlpInteraction
from nlp.assess import assess
from nlp.types import ElectionSpec, Prediction, Reason

log = logging.getLogger(__name__)
BATCH = 1000
_ASSESSMENT: Table = Assessment.__table__  # type: ignore[assignment]
ASSESSED_KINDS = {"post", "share", "quote", "comment", "like", "follow"}


@dataclass
class AssessStats:
    """What one assessment pass did."""

    assessed: int = 0
    flagged: int = 0
    new_cases: list[int] = field(default_factory=list)
    updated_cases: list[int] = field(default_factory=list)
    new_incidents: int = 0
    ruled_out: int = 0


def prediction_of(row: Classification | None) -> Prediction | None:
    """A stored classification back as the nlp layer's Prediction."""
    if row is None:
        return None
    reasons = tuple(Reason(**{k: v for k, v in r.items() if k in Reason.__dataclass_fields__})
                    for r in row.reasons if isinstance(r, dict))
    stance = row.stance if row.stance in ("support", "oppose", "none") else "none"
    return Prediction(campaign=row.campaign, score=row.score, pair=row.pair_number, stance=stance,  # type: ignore[arg-type]
                      reasons=reasons, model_version=row.model_version, uncertainty=row.uncertainty or 0.0,
                      contest=row.contest)


Official = tuple[str, int]  # (contest slug, ballot number)


def official_accounts(session: Session, election: Election) -> dict[tuple[str, str], Official]:
    """``(platform, handle or platform id)`` of the official campaign accounts of every contest of the
    Pilkada → (contest, pair number)."""
    rows = session.execute(
        select(CampaignAccount.platform, CampaignAccount.handle, CampaignAccount.platform_id, Contest.slug,
               CandidatePair.number)
        .join(CandidatePair, CandidatePair.id == CampaignAccount.pair_id)
        .join(Contest, Contest.id == CandidatePair.contest_id)
        .where(CandidatePair.election_id == election.id))
    found: dict[tuple[str, str], Official] = {}
    for platform, handle, pid, contest, number in rows:
        found[(platform, handle.lower().lstrip("@"))] = (contest, number)
        if pid:
            found[(platform, pid)] = (contest, number)
    return found


def _local_day(when: datetime | None, zone: ZoneInfo) -> date:
    return (when or utcnow()).astimezone(zone).date()


def _official_pair(official: dict[tuple[str, str], Official], platform: str, *ids: str | None) -> Official | None:
    """The (contest, pair) whose official account any of ``ids`` (handle or platform id) is, or None."""
    for i in ids:
        if i:
            pair = official.get((platform, i)) or official.get((platform, i.lower().lstrip("@")))
            if pair is not None:
                return pair
    return None


def contest_of(spec: ElectionSpec, pair: int | None, official: Official | None,
               *predictions: Prediction | None) -> str | None:
    """The contest of the flagged pair: the contest the prediction that named it gave, else the official
    account's, else the only contest with that ballot number (or the only contest of the Pilkada)."""
    only = spec.contests[0].slug if len(spec.contests) == 1 else None
    if pair is None:
        return official[0] if official else only
    for p in predictions:
        if p is not None and p.pair == pair and p.contest:
            return p.contest
    if official is not None and official[1] == pair:
        return official[0]
    return spec.contest_of_number(pair) or only


def _has_photo(item: ContentItem | None) -> bool:
    extra = item.extra if item is not None else {}
    return bool(extra.get("has_media") or extra.get("media") or extra.get("images"))


def assess_pending(session: Session, election: Election, spec: ElectionSpec, model_version: str,
                   *, batch: int = BATCH, max_batches: int | None = None) -> AssessStats:
    """Assess interactions of registered accounts not yet assessed by ``model_version``.

    ``max_batches`` bounds the work of one call, so a caller can commit between calls (a crash then
    loses at most one batch, which the next run redoes).
    """
    stats = AssessStats()
    zone = ZoneInfo(election.timezone)
    official = official_accounts(session, election)
    target, own = aliased(ContentItem), aliased(ContentItem)
    c_target, c_own = aliased(Classification), aliased(Classification)
    done = select(Assessment.interaction_id).where(Assessment.model_version == model_version)
    query = (
        select(Interaction, SocialAccount.employee_id, target, own, c_target, c_own)
        .join(SocialAccount, SocialAccount.id == Interaction.actor_account_id)
        .outerjoin(target, target.id == Interaction.target_content_id)
        .outerjoin(own, own.id == Interaction.own_content_id)
        .outerjoin(c_target, (c_target.content_id == Interaction.target_content_id)
                   & (c_target.model_version == model_version))
        .outerjoin(c_own, (c_own.content_id == Interaction.own_content_id) & (c_own.model_version == model_version))
        .where(Interaction.id.not_in(done), Interaction.kind.in_(ASSESSED_KINDS))
        .order_by(Interaction.id)
    )
    last_id, batches = 0, 0
    seen: set[int] = set()  # cases already listed as new or updated (membership in the lists would be O(n))
    while max_batches is None or batches < max_batches:
        rows = session.execute(query.where(Interaction.id > last_id).limit(batch)).all()
        batches += 1
        if not rows:
            break
        last_id = rows[-1][0].id
        judged = [_assess_one(election, spec, model_version, official, zone, inter, employee_id, tgt, mine, ct, co)
                  for inter, employee_id, tgt, mine, ct, co in rows]
        flagged = [(record, flag) for record, flag in judged if flag is not None]
        outcomes = open_or_update_many(session, [flag for _, flag in flagged])
        for (record, _), outcome in zip(flagged, outcomes, strict=True):
            stats.flagged += 1
            record["case_id"], record["incident_id"] = outcome.case_id, outcome.incident_id
            if outcome.what == "ruled_out":
                stats.ruled_out += 1
                continue
            assert outcome.case_id is not None
            stats.new_incidents += outcome.what in ("created", "added")
            if outcome.what == "created" and outcome.case_id not in seen:
                stats.new_cases.append(outcome.case_id)
                seen.add(outcome.case_id)
            elif outcome.what in ("added", "updated") and outcome.case_id not in seen:
                stats.updated_cases.append(outcome.case_id)
                seen.add(outcome.case_id)
        session.flush()
        records = [record for record, _ in judged]
        upsert(session, _ASSESSMENT, records, keys=["interaction_id", "model_version"])
        session.flush()
        stats.assessed += len(records)
    log.info("assessed %d interaction(s), %d flagged", stats.assessed, stats.flagged)
    return stats


def _assess_one(election: Election, spec: ElectionSpec, model_version: str, official: dict[tuple[str, str], Official],
                zone: ZoneInfo, inter: Interaction, employee_id: int, tgt: ContentItem | None,
                mine: ContentItem | None, ct: Classification | None,
                co: Classification | None) -> tuple[dict[str, Any], Flag | None]:
    """The Assessment row for one interaction, and the flag for its case when it met a rule."""
    pair_of_target = (_official_pair(official, inter.platform, inter.target_account) if inter.kind == "follow"
                      else _official_pair(official, inter.platform, tgt.author_handle, tgt.author_id)
                      if tgt is not None else None)
    is_official = pair_of_target is not None
    when = inter.occurred_at or (mine.created_at if mine is not None else None) or (
        tgt.created_at if tgt is not None and inter.kind == "post" else None)
    content, comment = prediction_of(ct), prediction_of(co)
    result = assess(NlpInteraction(kind=inter.kind, on=_local_day(when, zone),  # type: ignore[arg-type]
                                   content=content, comment=comment,
                                   target_is_official=is_official, has_photo=_has_photo(tgt),
                                   official_pair=pair_of_target[1] if pair_of_target else None), spec.calendar)
    record: dict[str, Any] = {
        "interaction_id": inter.id, "model_version": model_version, "flagged": bool(result.violations),
        "codes": [c for v in result.violations for c in v.code.split("/")],
        "elements": [f"{v.code}: {e}" for v in result.violations for e in v.elements] + list(result.notes),
        "priority": result.priority / 100.0, "quiet_period": result.stage == "quiet", "case_id": None,
        "incident_id": None, "assessed_at": utcnow(),
    }
    if not result.violations:
        return record, None
    score_source = co if (co is not None and co.campaign) else ct
    key = (target_key_for_account(inter.platform, inter.target_account or "?") if inter.kind == "follow"
           else target_key_for_content(tgt.id if tgt is not None else inter.id))
    flag = Flag(interaction_id=inter.id, employee_id=employee_id, platform=inter.platform, target_key=key,
                target_content_id=tgt.id if tgt is not None else None, election_id=election.id,
                model_version=model_version, score=score_source.score if score_source else None,
                pair_number=result.pair, stance=score_source.stance if score_source else None,
                codes=record["codes"], elements=record["elements"], priority=record["priority"],
                details={"stage": result.stage, "priority_label": result.priority_label,
                         "official_target": is_official},
                contest=contest_of(spec, result.pair, pair_of_target, comment if comment and comment.campaign
                                   else None, content, comment),
                own_text_campaign=bool(comment is not None and comment.campaign))
    return record, flag
