"""Factories for test data: small functions that add valid rows and return them (flushed, not committed)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from core.models import (
    CampaignAccount,
    CandidatePair,
    Case,
    Classification,
    ContentItem,
    Election,
    Employee,
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
    for number in range(1, pairs + 1):
        pair = CandidatePair(number=number, candidate=f"Calon {n}-{number}", running_mate=f"Wakil {n}-{number}",
                             aliases=[], hashtags=[f"#Paslon{number}Menang"], parties=[])
        pair.accounts.append(CampaignAccount(platform="bluesky", handle=f"paslon{number}-{n}.test"))
        obj.pairs.append(pair)
    session.add(obj)
    session.flush()
    return obj


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


def case(session: Session, emp: Employee | None = None, target: ContentItem | None = None, **kw: Any) -> Case:
    emp = emp or employee(session)
    target = target or content(session)
    values: dict[str, Any] = {
        "platform": target.platform, "status": "detected", "priority": 0.5, "score": 0.9, "pair_number": 1,
        "stance": "support", "model_version": "test-1", "candidate_codes": ["KE-4", "HD-6"],
        "rule_elements": ["like", "target is campaign content"], "details": {},
    }
    values.update(kw)
    obj = Case(employee_id=emp.id, target_key=f"content:{target.id}", target_content_id=target.id, **values)
    session.add(obj)
    session.flush()
    return obj
