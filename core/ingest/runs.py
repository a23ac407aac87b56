"""Crawl runs: opened when a spider starts, closed with its outcome and counters.

A run killed hard (SIGKILL) stays ``running``; :func:`close_stale_runs` marks such runs ``killed`` when
the next run of the same platform starts, so the history is honest about interruptions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.models import CrawlRun
from core.models.base import utcnow

#: Where a run keeps its starter's token (in ``stats``, also written by the crawl's own counters).
TAG_STAT = "netral/tag"


def start_run(session: Session, platform: str, spider: str, *, since: datetime | None = None,
              election_slug: str | None = None, tag: str | None = None) -> CrawlRun:
    """Record the start of a run (flushed; the caller commits). ``tag``: the starter's token, kept in
    ``stats["netral/tag"]`` so the starter finds exactly this run again, even beside overlapping runs."""
    close_stale_runs(session, platform, spider)
    run = CrawlRun(platform=platform, spider=spider, status="running", since=since, election_slug=election_slug,
                   items_stored=0, stats={TAG_STAT: tag} if tag else {})
    session.add(run)
    session.flush()
    return run


def close_stale_runs(session: Session, platform: str, spider: str | None = None) -> int:
    """Mark runs of ``platform`` (of this spider label, when given) still ``running`` as ``killed``.

    Only the same label: parallel shards of one platform (``bluesky#0/2``, ``bluesky#1/2``) run at once.
    """
    condition = (CrawlRun.platform == platform) & (CrawlRun.status == "running")
    if spider is not None:
        condition = condition & (CrawlRun.spider == spider)
    result = session.execute(update(CrawlRun).where(condition)
                             .values(status="killed", finished_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def add_stored(session: Session, run_id: int, count: int) -> None:
    """Add ``count`` stored records to the run's tally (in the batch's transaction)."""
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id)
                    .values(items_stored=CrawlRun.items_stored + count))


def finish_run(session: Session, run_id: int, status: str, stats: dict[str, Any]) -> None:
    """Close the run with its outcome (``finished``, ``failed``...) and JSON-safe Scrapy counters."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.status = status
    run.finished_at = utcnow()
    run.stats = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()
                 if isinstance(v, (int, float, str, datetime))}


def last_runs(session: Session, platform: str | None = None, limit: int = 20) -> list[CrawlRun]:
    """The most recent runs, newest first."""
    stmt = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    if platform:
        stmt = stmt.where(CrawlRun.platform == platform)
    return list(session.scalars(stmt))
