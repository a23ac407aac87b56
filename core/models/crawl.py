"""Crawl bookkeeping: where each account's crawl stopped, each run, and what went wrong.

The cursor is what makes crawling incremental and crash-safe: it is written in the same transaction
as the items it covers, and only after them, so a run killed at any moment restarts from a point
whose items are all stored (re-delivered items are harmless upserts on natural keys).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime, utcnow


class CrawlCursor(Base):
    """How far one stream of one account has been collected on one platform.

    ``subject`` is the account's stable platform key (a DID, ``user@instance``, a channel id);
    ``stream`` names what is walked (``app.bsky.feed.like``, ``statuses``, ``campaign-feed`` ...);
    ``value`` is the platform's own marker (a record key, a status id, a timestamp).
    """

    __tablename__ = "crawl_cursor"
    __table_args__ = (UniqueConstraint("platform", "subject", "stream"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255))
    stream: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(String(512))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CrawlRun(Base):
    """One execution of one spider, with its outcome and Scrapy's counters."""

    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), index=True)
    spider: Mapped[str] = mapped_column(String(64))
    #: running, finished, finished_with_errors, store_failed, or Scrapy's close reason (shutdown ...)
    status: Mapped[str] = mapped_column(String(32), default="running")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    election_slug: Mapped[str | None] = mapped_column(String(100))
    items_stored: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CrawlError(Base):
    """A response the crawl could not use (malformed body, exhausted retries); the crawl went on.

    The raw body stays in the evidence archive (``evidence_id``) so the failure can be examined.
    """

    __tablename__ = "crawl_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id", ondelete="SET NULL"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
