"""The demo world on a real local AT Protocol network (PLC + PDS + AppView from @atproto/dev-env).

Accounts are created over XRPC for the example's Bluesky handles (``*.test``) and the pairs' official
accounts; the pairs post campaign content, partisan employees like, repost, reply to and quote it,
everyone posts something neutral. The AppView indexes asynchronously, so seeding waits until it shows
the engagement before the scan starts.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from pipelines.demo.texts import NEUTRAL_POSTS, SUPPORT_COMMENTS, VOTER_EDUCATION, campaign_posts, fill
from pipelines.demo.world import CAMPAIGN_DAY, Scenario, rival
from testservers.atproto_network.bluesky import Account, Network, Ref, local_postgres_url

log = logging.getLogger(__name__)


def start_network(workdir: Path) -> Network:
    """Start the network (PostgreSQL from scripts/pg-local.sh, a private redis-server)."""
    workdir.mkdir(parents=True, exist_ok=True)
    net = Network(workdir, local_postgres_url())
    net.start()
    return net


def seed_bluesky(net: Network, s: Scenario) -> int:
    """Create the accounts and the activity; returns how many records were written."""
    rng, writes = s.rng, 0
    accounts: dict[str, Account] = {}
    for handle in sorted(set(s.handles("bluesky")) | {h for _, h in s.official("bluesky")}):
        accounts[handle] = net.account(handle.removesuffix(".test"))
    partisans = sorted(s.partisans["bluesky"])
    last: tuple[Ref, int, int, int] | None = None
    for k, (pair, handle) in enumerate(s.official("bluesky")):
        other = rival(s, pair)
        for p in range(2):
            at = CAMPAIGN_DAY + timedelta(days=3 * p + k, hours=4)
            text = fill(rng.choice(campaign_posts(pair)), pair, other, rng)[:300]
            post = net.post(accounts[handle], text, created_at=at)
            writes += 1
            likes = reposts = replies = 0
            for user in partisans:
                roll = rng.random()
                if roll < 0.25:
                    net.like(accounts[user], post)
                    likes += 1
                elif roll < 0.4:
                    net.repost(accounts[user], post)
                    reposts += 1
                elif roll < 0.5:
                    net.post(accounts[user], fill(rng.choice(SUPPORT_COMMENTS), pair, other, rng), reply_to=post,
                             created_at=at + timedelta(hours=1))
                    replies += 1
                else:
                    continue
                writes += 1
            last = (post, likes, reposts, replies)
    notice = next((h for pair, h in s.official("bluesky") if pair.kind == "pilgub"), None)
    if notice is not None:  # a neutral announcement by a campaign account, liked by many employees
        post = net.post(accounts[notice], VOTER_EDUCATION, created_at=CAMPAIGN_DAY + timedelta(days=20))
        likers = sorted(s.handles("bluesky"))[::3]
        for user in likers:
            net.like(accounts[user], post)
        writes += 1 + len(likers)
        last = (post, len(likers), 0, 0)
    for n, handle in enumerate(sorted(s.handles("bluesky"))):
        net.post(accounts[handle], rng.choice(NEUTRAL_POSTS)[:300], created_at=CAMPAIGN_DAY + timedelta(days=n % 30))
        writes += 1
    if last is not None:
        net.wait_counts(last[0], likes=last[1], reposts=last[2], replies=last[3])
    log.info("bluesky: %d accounts, %d records", len(accounts), writes)
    return writes
