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
from pipelines.demo.bluesky import seed_bluesky, start_network
from pipelines.demo.mastodon import mastodon_env, mastodon_server, seed_mastodon
from pipelines.demo.servers import replay_env, set_platform_ids
from pipelines.demo.world import build_replay_world, load_scenario
from testservers.atproto_network.bluesky import missing as bluesky_missing
from testservers.replay.server import ReplayServer

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
def demo_servers(sessions: sessionmaker[Session], roster: Path, election: Path,
                 workdir: Path) -> Iterator[dict[str, Any]]:
    """Start and seed the local servers; yields the crawl settings, what runs where and what was skipped."""
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
        seeded = {"youtube comments": len(world.youtube.comments), "x tweets": len(world.x.tweets),
                  "facebook comments": len(world.facebook.comments), "mastodon writes": writes}
        platforms, skipped = ["mastodon", "youtube", "x", "facebook"], {}
        why = bluesky_missing()
        if why is None:
            net = start_network(workdir / "bluesky")
            stack.callback(net.stop)
            seeded["bluesky records"] = seed_bluesky(net, scenario)
            env.update(net.crawl_env())
            servers["AT Protocol network (PDS, AppView)"] = f"{net.pds} · {net.appview}"
            platforms.insert(0, "bluesky")
        else:
            skipped["bluesky"] = why
        yield {"env": env, "servers": servers, "seeded": seeded, "platforms": platforms, "skipped": skipped}


def run_demo_scan(sessions: sessionmaker[Session], slug: str, roster: Path, election: Path,
                  workdir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Seed the servers, run one nightly scan on them; returns (what was started, the scan result)."""
    from pipelines.scan import nightly_scan

    with demo_servers(sessions, roster, election, workdir) as started, environment(started["env"]):
        result = nightly_scan(election=slug, platforms=started["platforms"], since=SINCE)
    result["skipped"].update(started["skipped"])
    return started, result
