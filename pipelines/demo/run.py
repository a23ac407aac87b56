"""Run the demo scan: local servers up and seeded, one nightly scan in-process, servers down.

Only the crawls' settings change (environment variables of this process, inherited by the crawl
subprocesses): every other part is the production path.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from core.db import session_scope
from core.settings import reset_settings
from crawlers.replay.server import ReplayServer
from pipelines.demo.mastodon import mastodon_env, mastodon_server, seed_mastodon
from pipelines.demo.servers import replay_env, set_platform_ids
from pipelines.demo.world import build_replay_world, load_scenario

log = logging.getLogger(__name__)
SINCE = "2024-09-01"


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration (the crawl subprocesses inherit them)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    reset_settings()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


@contextmanager
def demo_servers(sessions: sessionmaker[Session], roster: Path, election: Path) -> Iterator[dict[str, Any]]:
    """Start and seed the replay and Mastodon servers; yields the crawl settings and what runs where."""
    scenario = load_scenario(roster, election)
    world, fb_ids = build_replay_world(scenario)
    with session_scope(sessions) as session:
        set_platform_ids(session, "facebook", fb_ids)
    with ExitStack() as stack:
        replay = stack.enter_context(ReplayServer(world))
        mastodon = stack.enter_context(mastodon_server(scenario))
        writes = seed_mastodon(mastodon, scenario)
        env = {**replay_env(replay), **mastodon_env(mastodon)}
        servers = {"replay (YouTube, X, Facebook)": replay.root, "mastodon-mock": mastodon.base_url}
        yield {"env": env, "servers": servers,
               "seeded": {"youtube comments": len(world.youtube.comments), "x tweets": len(world.x.tweets),
                          "facebook comments": len(world.facebook.comments), "mastodon writes": writes}}


def run_demo_scan(sessions: sessionmaker[Session], slug: str, roster: Path,
                  election: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Seed the servers, run one nightly scan on them; returns (what was started, the scan result)."""
    from pipelines.scan import nightly_scan

    with demo_servers(sessions, roster, election) as started, environment(started["env"]):
        result = nightly_scan(election=slug, platforms=["mastodon", "youtube", "x", "facebook"], since=SINCE)
    return started, result
