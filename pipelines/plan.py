"""What a scan will do: which platforms can run, how many accounts each watches, how shards split them.

A platform whose credentials are missing is skipped with a reason (the summary says so) instead of
failing the night: YouTube needs an API key, X a bearer token, Facebook a Graph token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NetralError
from core.models import CampaignAccount, CandidatePair, Election, Employee, SocialAccount
from core.settings import Settings

CRAWLED_PLATFORMS = ("bluesky", "mastodon", "youtube", "x", "facebook")


class ScanConfigError(NetralError):
    """The scan was asked for something that cannot run (unknown election or platform)."""


@dataclass
class ScanPlan:
    """The platforms to crawl for one election and what they watch."""

    election_id: int
    election_slug: str
    election_name: str
    platforms: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    campaign_accounts: dict[str, int] = field(default_factory=dict)


def missing_credentials(settings: Settings, platform: str) -> str | None:
    """Why ``platform`` cannot be crawled with these settings, or None."""
    needs = {"youtube": settings.youtube_api_key, "x": settings.x_bearer_token,
             "facebook": settings.facebook_access_token}
    secret = needs.get(platform)
    if secret is not None and not secret.get_secret_value():
        return f"no credentials (NETRAL_{platform.upper()}_{'API_KEY' if platform == 'youtube' else 'TOKEN'})"
    return None


def make_plan(session: Session, settings: Settings, election_slug: str,
              platforms: list[str] | None = None) -> ScanPlan:
    """Decide what the scan of ``election_slug`` crawls."""
    election = session.scalars(select(Election).where(Election.slug == election_slug)).one_or_none()
    if election is None:
        raise ScanConfigError(f"no election {election_slug!r}: import it with `netral election import`")
    wanted = list(platforms or CRAWLED_PLATFORMS)
    unknown = [p for p in wanted if p not in CRAWLED_PLATFORMS]
    if unknown:
        raise ScanConfigError(f"unknown platform(s) {unknown}; crawled platforms: {', '.join(CRAWLED_PLATFORMS)}")
    plan = ScanPlan(election.id, election.slug, election.name)
    accounts = dict(session.execute(
        select(SocialAccount.platform, func.count()).join(Employee, Employee.id == SocialAccount.employee_id)
        .where(SocialAccount.active.is_(True), Employee.active.is_(True)).group_by(SocialAccount.platform)).all())
    campaigns = dict(session.execute(
        select(CampaignAccount.platform, func.count()).join(CandidatePair, CandidatePair.id == CampaignAccount.pair_id)
        .where(CandidatePair.election_id == election.id).group_by(CampaignAccount.platform)).all())
    for platform in wanted:
        reason = missing_credentials(settings, platform)
        if reason is None and not accounts.get(platform) and not campaigns.get(platform):
            reason = "no registered or campaign accounts"
        if reason:
            plan.skipped[platform] = reason
            continue
        plan.platforms.append(platform)
        plan.accounts[platform] = int(accounts.get(platform, 0))
        plan.campaign_accounts[platform] = int(campaigns.get(platform, 0))
    return plan
