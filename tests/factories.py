"""Factories for test data: small functions that add valid rows and return them (flushed, not committed)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.case_priority import summary_of
from core.models import (
    CampaignAccount,
    CandidatePair,
    Case,
    CaseReview,
    Classification,
    ContentItem,
    Contest,
    Election,
    Employee,
    Incident,
    IncidentInteraction,
    Interaction,
    SocialAccount,
)

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def employee(session: Session, **kw: Any) -> Employee:
    n = _n()
    values: dict[str, Any] = {
        "employee_type": "PNS", "id_number": f"19860926201505{1 + n % 2}{n % 1000:03d}{n // 1000}"[:18],
        "name": f"Pegawai Uji {n}", "unit": "Dinas Uji", "position": "Staf", "active": True,
    }
    values.update(kw)
    obj = Employee(**values)
    session.add(obj)
    session.flush()
    return obj


def account(session: Session, emp: Employee | None = None, **kw: Any) -> SocialAccount:
    n = _n()
    values: dict[str, Any] = {"platform": "bluesky", "handle": f"pegawai{n}.test", "active": True}
    values.update(kw)
    obj = SocialAccount(employee=emp or employee(session), **values)
    session.add(obj)
    session.flush()
    return obj


def election(session: Session, pairs: int = 2, **kw: Any) -> Election:
    n = _n()
    values: dict[str, Any] = {
        "slug": f"pilkada-uji-{n}", "name": f"Pilkada Uji {n}", "region": "Kabupaten Uji",
        "timezone": "Asia/Makassar", "candidates_fixed": date(2024, 9, 22), "campaign_start": date(2024, 9, 25),
        "campaign_end": date(2024, 11, 23), "quiet_start": date(2024, 11, 24), "quiet_end": date(2024, 11, 26),
        "voting_day": date(2024, 11, 27), "calendar": {}, "source": {},
    }
    values.update(kw)
    obj = Election(**values)
    session.add(obj)
    session.flush()
    add_contest(session, obj, obj.slug, "pilbup", pairs, tag=str(n))
    return obj


def add_contest(session: Session, el: Election, slug: str, kind: str, pairs: int, tag: str = "") -> Contest:
    """A contest of ``el`` with ``pairs`` pairs (each with one Bluesky campaign account)."""
    tag = tag or str(_n())
    contest = Contest(slug=slug, kind=kind, name=f"Pemilihan {kind} {tag}", position=len(el.contests))
    el.contests.append(contest)
    for number in range(1, pairs + 1):
        pair = CandidatePair(number=number, candidate=f"Calon {tag}-{kind}-{number}",
                             running_mate=f"Wakil {tag}-{kind}-{number}", aliases=[],
                             hashtags=[f"#Paslon{number}{kind.title()}{tag}"], parties=[], election_id=el.id)
        pair.accounts.append(CampaignAccount(platform="bluesky", handle=f"paslon{number}-{kind}-{tag}.test"))
        contest.pairs.append(pair)
    session.flush()
    session.expire(el, ["pairs"])
    return contest


def content(session: Session, **kw: Any) -> ContentItem:
    n = _n()
    values: dict[str, Any] = {
        "platform": "bluesky", "native_id": f"at://did:plc:test/app.bsky.feed.post/{n}", "kind": "post",
        "url": f"https://example.org/post/{n}", "author_handle": "paslon1.test", "text": f"Konten uji {n}",
        "created_at": datetime(2024, 10, 1, 8, 0, tzinfo=UTC),
    }
    values.update(kw)
    obj = ContentItem(**values)
    session.add(obj)
    session.flush()
    return obj


def interaction(session: Session, actor: SocialAccount | None = None, target: ContentItem | None = None,
                **kw: Any) -> Interaction:
    n = _n()
    actor = actor or account(session)
    target = target or content(session)
    values: dict[str, Any] = {
        "platform": actor.platform, "native_id": f"like-{n}", "kind": "like",
        "occurred_at": datetime(2024, 10, 2, 9, 0, tzinfo=UTC),
    }
    values.update(kw)
    obj = Interaction(actor_account_id=actor.id, target_content_id=target.id, **values)
    session.add(obj)
    session.flush()
    return obj


def classification(session: Session, item: ContentItem, **kw: Any) -> Classification:
    values: dict[str, Any] = {"model_version": "test-1", "score": 0.9, "campaign": True, "pair_number": 1,
                              "stance": "support", "reasons": []}
    values.update(kw)
    obj = Classification(content_id=item.id, **values)
    session.add(obj)
    session.flush()
    return obj


_CASE_KEYS = {"status", "priority", "score", "candidate_codes", "election_id", "created_at", "version",
              "sequence", "previous_case_id"}


def case(session: Session, emp: Employee | None = None, target: ContentItem | None = None, **kw: Any) -> Case:
    """A case with one incident on ``target`` (keywords go to the case or the incident they name)."""
    emp = emp or employee(session)
    target = target or content(session)
    case_values: dict[str, Any] = {"status": "detected", "priority": 0.5, "score": kw.get("score", 0.9),
                                   "candidate_codes": kw.get("candidate_codes", ["KE-4", "HD-6"])}
    case_values.update({k: v for k, v in kw.items() if k in _CASE_KEYS})
    if "sequence" not in case_values:
        taken = session.scalar(select(func.max(Case.sequence)).where(
            Case.employee_id == emp.id, Case.election_id == case_values.get("election_id"))) or 0
        case_values["sequence"] = taken + 1
    obj = Case(employee_id=emp.id, details={}, **case_values)
    session.add(obj)
    session.flush()
    session.add(CaseReview(case_id=obj.id, escalated=False))
    incident(session, obj, target, **{k: v for k, v in kw.items() if k not in _CASE_KEYS or k in (
        "score", "candidate_codes", "created_at")})
    session.refresh(obj)
    return obj


def incident(session: Session, of: Case, target: ContentItem | None = None,
             interaction_ids: list[int] | None = None, **kw: Any) -> Incident:
    """An incident of case ``of`` about ``target`` (a new content item by default)."""
    target = target or content(session)
    values: dict[str, Any] = {
        "platform": target.platform, "priority": 0.5, "score": 0.9, "pair_number": 1, "stance": "support",
        "model_version": "test-1", "candidate_codes": ["KE-4", "HD-6"],
        "rule_elements": ["like", "target is campaign content"], "details": {}, "supplementary": False,
    }
    values.update(kw)
    obj = Incident(case_id=of.id, target_key=f"content:{target.id}", target_content_id=target.id, **values)
    session.add(obj)
    session.flush()
    for iid in interaction_ids or []:
        session.add(IncidentInteraction(incident_id=obj.id, interaction_id=iid))
    session.flush()
    session.expire(of, ["incidents"])
    of.summary = summary_of(of.incidents)  # as intake keeps it
    session.flush()
    return obj
