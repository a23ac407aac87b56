"""Local servers of the demo and the end-to-end tests, and the settings that point the crawls at them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import SocialAccount
from testservers.replay.server import ReplayServer

#: Politeness for local servers: the production defaults wait for real APIs' rate limits.
FAST = {
    "NETRAL_CRAWL_BACKOFF_SECONDS": "0.05",
    "NETRAL_CRAWL_TIMEOUT_SECONDS": "5",
    "NETRAL_CRAWL_FLUSH_SECONDS": "0.5",
    "NETRAL_YOUTUBE_REQUESTS_PER_SECOND": "500",
    "NETRAL_X_REQUESTS_PER_SECOND": "500",
    "NETRAL_FACEBOOK_REQUESTS_PER_SECOND": "500",
    "NETRAL_MASTODON_REQUESTS_PER_SECOND": "500",
    "NETRAL_BLUESKY_REQUESTS_PER_SECOND": "500",
}


def replay_env(server: ReplayServer, *, fast: bool = True) -> dict[str, str]:
    """Settings (as environment) that send the YouTube, X and Facebook spiders to ``server``."""
    world = server.world
    env = {
        "NETRAL_YOUTUBE_API_URL": server.youtube_url, "NETRAL_YOUTUBE_API_KEY": world.youtube.api_key,
        "NETRAL_X_API_URL": server.x_url, "NETRAL_X_BEARER_TOKEN": world.x.bearer_token,
        "NETRAL_FACEBOOK_GRAPH_URL": server.facebook_url, "NETRAL_FACEBOOK_ACCESS_TOKEN": world.facebook.access_token,
    }
    return {**(FAST if fast else {}), **env}


def set_platform_ids(session: Session, platform: str, ids: dict[str, str]) -> int:
    """Record platform ids of registered accounts (what an administrator does for Graph person ids)."""
    changed = 0
    for account in session.scalars(select(SocialAccount).where(SocialAccount.platform == platform,
                                                               SocialAccount.handle.in_(list(ids)))):
        account.platform_id = ids[account.handle]
        changed += 1
    return changed
