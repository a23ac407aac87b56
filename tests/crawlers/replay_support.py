"""Helpers for the YouTube / X / Facebook spider tests: registry rows matching a replay world, crawls.

Crawls run as real ``scrapy crawl`` subprocesses (:func:`crawlers.runner.run_crawl`) against a
:class:`~testservers.replay.ReplayServer` on 127.0.0.1, with politeness delays shortened so tests take
seconds; everything else (retries, Retry-After, timeouts, pipelines, store) is the production path.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import CampaignAccount, ContentItem, CrawlError, CrawlRun, Interaction
from crawlers.runner import CrawlOutcome, run_crawl
from tests import factories

FAST = {
    "NETRAL_CRAWL_BACKOFF_SECONDS": "0.05",
    "NETRAL_CRAWL_TIMEOUT_SECONDS": "1.5",
    "NETRAL_CRAWL_RETRY_TIMES": "3",
    "NETRAL_CRAWL_FLUSH_SECONDS": "0.5",
    "NETRAL_YOUTUBE_REQUESTS_PER_SECOND": "500",
    "NETRAL_X_REQUESTS_PER_SECOND": "500",
    "NETRAL_FACEBOOK_REQUESTS_PER_SECOND": "500",
    "NETRAL_YOUTUBE_CONCURRENCY": "4",
    "NETRAL_X_CONCURRENCY": "4",
    "NETRAL_FACEBOOK_CONCURRENCY": "4",
}


def recent_start() -> datetime:
    """Generated worlds start 12 days ago: their ~9 days of activity lie inside the default backfill and
    re-check (14 days) windows, and end in the past."""
    return (datetime.now(UTC) - timedelta(days=12)).replace(microsecond=0)


def register(session: Session, platform: str, employees: dict[str, str | None], campaigns: list[str]) -> None:
    """Employees with one account each (handle → platform id or None) and a pair per campaign handle."""
    for handle, platform_id in employees.items():
        factories.account(session, platform=platform, handle=handle, platform_id=platform_id)
    elec = factories.election(session, pairs=len(campaigns))
    for pair, handle in zip(elec.pairs, campaigns, strict=True):
        pair.accounts.append(CampaignAccount(platform=platform, handle=handle))
    session.commit()


def crawl(platform: str, env: dict[str, str], **kwargs: Any) -> CrawlOutcome:
    return run_crawl(platform, env={**FAST, **env}, timeout=120, **kwargs)


def interactions(session: Session, platform: str) -> dict[str, Interaction]:
    session.expire_all()
    rows = session.scalars(select(Interaction).where(Interaction.platform == platform))
    return {i.native_id: i for i in rows}


def counts(session: Session) -> tuple[int, int]:
    """Content items and interactions (a re-fetch may add evidence: a new capture of the same data)."""
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                 for m in (ContentItem, Interaction))


def errors(session: Session, run_id: int | None = None) -> list[CrawlError]:
    session.expire_all()
    stmt = select(CrawlError).order_by(CrawlError.id)
    if run_id is not None:
        stmt = stmt.where(CrawlError.run_id == run_id)
    return list(session.scalars(stmt))


def run(session: Session, run_id: int | None) -> CrawlRun:
    session.expire_all()
    found = session.get(CrawlRun, run_id)
    assert found is not None
    return found
