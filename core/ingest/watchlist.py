"""What a crawl watches, read once when a crawl starts: accounts, campaign accounts, cursors, recent content.

Two directions (domain): every active registered account of an active employee (its own activity),
and every official campaign account of the election(s) (who among the registered accounts engaged).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import (
    CampaignAccount,
    CandidatePair,
    ContentItem,
    CrawlCursor,
    Election,
    Employee,
    Interaction,
    SocialAccount,
)


@dataclass(frozen=True)
class WatchedAccount:
    """A registered account to crawl (direction 1); ``platform_id`` is None until first resolved."""

    id: int
    handle: str
    platform_id: str | None


@dataclass(frozen=True)
class CampaignTarget:
    """An official campaign account to crawl (direction 2)."""

    id: int
    handle: str
    platform_id: str | None
    election_slug: str
    pair_number: int


@dataclass
class Watchlist:
    """Everything one platform's crawl needs to know from the database, as plain data."""

    platform: str
    accounts: list[WatchedAccount] = field(default_factory=list)
    campaigns: list[CampaignTarget] = field(default_factory=list)
    cursors: dict[tuple[str, str], str] = field(default_factory=dict)

    def cursor(self, subject: str, stream: str) -> str | None:
        return self.cursors.get((subject, stream))

    def registered(self) -> dict[str, int]:
        """``{platform id or handle: account id}`` to recognise registered actors in engagement lists."""
        found: dict[str, int] = {}
        for acc in self.accounts:
            found[acc.handle] = acc.id
            if acc.platform_id:
                found[acc.platform_id] = acc.id
        return found


def load_watchlist(session: Session, platform: str, election_slug: str | None = None) -> Watchlist:
    """Active accounts of active employees, the campaign accounts (of one election, or all) and cursors."""
    wl = Watchlist(platform)
    acc_rows = session.execute(
        select(SocialAccount.id, SocialAccount.handle, SocialAccount.platform_id)
        .join(Employee, Employee.id == SocialAccount.employee_id)
        .where(SocialAccount.platform == platform, SocialAccount.active.is_(True), Employee.active.is_(True))
        .order_by(SocialAccount.id))
    wl.accounts = [WatchedAccount(i, h, p) for i, h, p in acc_rows]
    stmt = (select(CampaignAccount.id, CampaignAccount.handle, CampaignAccount.platform_id, Election.slug,
                   CandidatePair.number)
            .join(CandidatePair, CandidatePair.id == CampaignAccount.pair_id)
            .join(Election, Election.id == CandidatePair.election_id)
            .where(CampaignAccount.platform == platform).order_by(CampaignAccount.id))
    if election_slug:
        stmt = stmt.where(Election.slug == election_slug)
    wl.campaigns = [CampaignTarget(*row) for row in session.execute(stmt)]
    for subject, stream, value in session.execute(
            select(CrawlCursor.subject, CrawlCursor.stream, CrawlCursor.value).where(CrawlCursor.platform == platform)):
        wl.cursors[(subject, stream)] = value
    return wl


def shard_watchlist(wl: Watchlist, index: int, count: int) -> Watchlist:
    """Slice ``index`` of ``count``: registered and campaign accounts split by id, so parallel shards
    (several work-pool workers) never crawl the same account twice and together crawl every one."""
    return Watchlist(wl.platform, [a for a in wl.accounts if a.id % count == index],
                     [c for c in wl.campaigns if c.id % count == index], dict(wl.cursors))


def recent_content(session: Session, platform: str, author_ids: Iterable[str], since: datetime) -> list[str]:
    """Native ids of stored, not-deleted content by these authors created since ``since``.

    A crawl re-checks these to notice content that disappeared (marked deleted, evidence kept).
    """
    authors = list(dict.fromkeys(author_ids))
    if not authors:
        return []
    rows = session.scalars(select(ContentItem.native_id).where(
        ContentItem.platform == platform, ContentItem.author_id.in_(authors), ContentItem.deleted_at.is_(None),
        ContentItem.created_at >= since).order_by(ContentItem.id))
    return list(rows)


def recent_content_extra(session: Session, platform: str, author_ids: Iterable[str],
                         since: datetime) -> list[tuple[str, dict[str, Any]]]:
    """Like :func:`recent_content`, with each item's ``extra`` (platforms whose lookups need a local id)."""
    authors = list(dict.fromkeys(author_ids))
    if not authors:
        return []
    rows = session.execute(select(ContentItem.native_id, ContentItem.extra).where(
        ContentItem.platform == platform, ContentItem.author_id.in_(authors), ContentItem.deleted_at.is_(None),
        ContentItem.created_at >= since).order_by(ContentItem.id))
    return [(native_id, dict(extra or {})) for native_id, extra in rows]


def stored_engagements(session: Session, platform: str, since: datetime,
                       kinds: tuple[str, ...] = ("like", "share")) -> dict[str, set[str]]:
    """``{target native id: {interaction native ids}}``: live likes / shares of content created since
    ``since``. A crawl that lists a post's likers in full marks the stored ones it no longer sees as
    deleted (the like was withdrawn); the rows stay, with their evidence."""
    found: dict[str, set[str]] = {}
    rows = session.execute(
        select(ContentItem.native_id, Interaction.native_id)
        .join(Interaction, Interaction.target_content_id == ContentItem.id)
        .where(Interaction.platform == platform, Interaction.kind.in_(kinds), Interaction.deleted_at.is_(None),
               ContentItem.created_at >= since))
    for target, key in rows:
        found.setdefault(target, set()).add(key)
    return found
