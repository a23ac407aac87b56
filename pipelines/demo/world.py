"""The demo world: the example regency's accounts acting on local servers, with Indonesian content.

From the example roster and election it seeds a replay server (YouTube, X, Facebook), a Mastodon-API
server (mastodon-mock) and, when it is installed, the local Bluesky network: the pairs' official
accounts post campaign content; a deterministic handful of employees like, share, quote, comment on
it or post their own campaign content (the leads the scan should find); many more post and comment
on neutral things (the noise it must leave alone). Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.registry.election_config import ElectionFile, load_election_file
from core.registry.roster_rows import RosterRow, parse_roster
from core.registry.tabular import read_table
from pipelines.demo.texts import (
    NEUTRAL_COMMENTS,
    NEUTRAL_POSTS,
    OPPOSE_COMMENTS,
    SUPPORT_COMMENTS,
    PairWords,
    campaign_posts,
    fill,
)
from testservers.replay.world import ReplayWorld

log = logging.getLogger(__name__)
CAMPAIGN_DAY = datetime(2024, 10, 7, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    """Who does what, decided once from the example files (the same on every run)."""

    election: ElectionFile
    rows: list[RosterRow]
    pairs: list[PairWords]
    rng: random.Random
    partisans: dict[str, set[str]] = field(default_factory=dict)  # platform -> handles that engage

    def handles(self, platform: str) -> list[str]:
        return sorted(h for r in self.rows for p, h, _ in r.accounts if p.value == platform)

    def official(self, platform: str) -> list[tuple[PairWords, str]]:
        """The official accounts on ``platform`` of every pair of every contest."""
        found = []
        for pair, spec in zip(self.pairs, self.election.all_pairs(), strict=True):
            for handle in spec.accounts.get(platform, []):
                found.append((pair, str(handle).lstrip("@").lower() if platform != "mastodon" else str(handle)))
        return found


def load_scenario(roster: Path, election: Path, seed: int = 2024, share: float = 0.15) -> Scenario:
    """Read the example files and choose the partisan accounts (``share`` of each platform's accounts)."""
    doc = load_election_file(election)
    parsed = parse_roster(read_table(roster))
    pairs = [PairWords(p.number, p.aliases[0] if p.aliases else p.candidate.split()[0],
                       next((a for a in p.aliases if a.isupper()), p.candidate.split()[0]), tuple(p.hashtags),
                       contest.id, contest.kind)
             for contest in doc.all_contests() for p in contest.pairs]
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data
    scenario = Scenario(doc, parsed.rows, pairs, rng)
    for platform in ("bluesky", "mastodon", "youtube", "x", "facebook"):
        handles = scenario.handles(platform)
        scenario.partisans[platform] = set(rng.sample(handles, max(1, int(len(handles) * share)))) if handles else set()
    return scenario


def rival(s: Scenario, pair: PairWords) -> PairWords:
    """Another pair of the same contest (the pair itself when it runs alone, against the empty box)."""
    return next((p for p in s.pairs if p.contest == pair.contest and p.number != pair.number), pair)


def build_replay_world(s: Scenario) -> tuple[ReplayWorld, dict[str, str]]:
    """YouTube channels / X users / Facebook pages for the pairs and the employees, and their activity.

    Returns the world and the Facebook person ids of employees' accounts (Graph names commenters by
    id only; an administrator records these ids in the roster, the demo does it for them).
    """
    world, rng = ReplayWorld(seed=7), s.rng
    yt, xw, fb = world.youtube, world.x, world.facebook
    yt_emp = {h: yt.add_channel(h, f"@{h.lstrip('@')}") for h in s.handles("youtube")}
    x_emp = {h: xw.add_user(h) for h in s.handles("x")}
    fb_emp = {h: fb.add_person(h.replace(".", " ").title()) for h in s.handles("facebook")}
    outsiders = [yt.add_channel(f"warga{i}", f"Warga {i}") for i in range(1, 6)]
    for k, (pair, handle) in enumerate(s.official("youtube")):
        channel = yt.add_channel(handle, f"{pair.acronym} Resmi")
        for v in range(3):
            at = CAMPAIGN_DAY + timedelta(days=3 * v + k, hours=2)
            video = yt.add_video(channel, f"Kampanye {pair.acronym} #{v + 1}", at,
                                 fill(rng.choice(campaign_posts(pair)), pair, rival(s, pair), rng))
            for n, (h, ch) in enumerate(sorted(yt_emp.items())):
                if h in s.partisans["youtube"] and rng.random() < 0.5:
                    yt.add_comment(video, ch, fill(rng.choice(SUPPORT_COMMENTS), pair, rival(s, pair), rng),
                                   at + timedelta(minutes=10 + n))
                elif rng.random() < 0.1:
                    yt.add_comment(video, ch, rng.choice(NEUTRAL_COMMENTS), at + timedelta(minutes=20 + n))
            yt.add_comment(video, rng.choice(outsiders), fill(rng.choice(SUPPORT_COMMENTS), pair, pair, rng),
                           at + timedelta(minutes=5))
    for k, (pair, handle) in enumerate(s.official("x")):
        user = xw.add_user(handle, f"{pair.acronym} Resmi")
        for t in range(4):
            at = CAMPAIGN_DAY + timedelta(days=2 * t + k, hours=5)
            tweet = xw.add_tweet(user, fill(rng.choice(campaign_posts(pair)), pair, rival(s, pair), rng)[:280], at)
            for n, (h, u) in enumerate(sorted(x_emp.items())):
                if h in s.partisans["x"] and rng.random() < 0.4:
                    kind = rng.choice(["retweeted", "quoted", "replied_to"])
                    text = "" if kind == "retweeted" else fill(rng.choice(SUPPORT_COMMENTS), pair, rival(s, pair), rng)
                    xw.add_tweet(u, text, at + timedelta(minutes=15 + n), ref=(kind, tweet.id))
    for n, (h, u) in enumerate(sorted(x_emp.items())):
        xw.add_tweet(u, rng.choice(NEUTRAL_POSTS)[:280], CAMPAIGN_DAY + timedelta(days=n % 20, hours=12))
        if h in s.partisans["x"] and n % 3 == 0:
            pair = rng.choice(s.pairs)
            xw.add_tweet(u, fill(rng.choice(OPPOSE_COMMENTS), pair, rival(s, pair), rng),
                         CAMPAIGN_DAY + timedelta(days=n % 20, hours=20))
    for k, (pair, handle) in enumerate(s.official("facebook")):
        page = fb.add_page(handle, f"{pair.acronym} Resmi")
        for p in range(3):
            at = CAMPAIGN_DAY + timedelta(days=4 * p + k, hours=3)
            post = fb.add_post(page, fill(rng.choice(campaign_posts(pair)), pair, rival(s, pair), rng), at)
            for n, (h, person) in enumerate(sorted(fb_emp.items())):
                if h in s.partisans["facebook"] and rng.random() < 0.4:
                    fb.add_comment(post, person, fill(rng.choice(SUPPORT_COMMENTS), pair, rival(s, pair), rng),
                                   at + timedelta(minutes=30 + n))
    return world, {h: p.id for h, p in fb_emp.items()}
