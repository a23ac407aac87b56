"""Credentials of the paid/closed APIs never reach logs (even at DEBUG), stored URLs or archived evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import CrawlError, Evidence
from core.settings import Settings
from crawlers.runner import start_crawl
from tests.crawlers.replay_support import FAST, interactions, recent_start, register
from testservers.replay import ReplayServer, ReplayWorld

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)

SECRETS = {"youtube": "yt-SECRET-key-123", "x": "x-SECRET-bearer-456", "facebook": "fb-SECRET-token-789"}


def test_keys_and_tokens_stay_out_of_logs_urls_and_evidence(session: Session, settings: Settings) -> None:
    world = ReplayWorld.generate(seed=2, campaigns=1, employees=2, posts_per_campaign=2, comments_per_post=6,
                                 start=recent_start())
    world.youtube.api_key, world.x.bearer_token, world.facebook.access_token = SECRETS.values()
    people = {p.name: p.id for p in world.facebook.profiles.values()}
    register(session, "youtube", {"pegawai1": None, "pegawai2": None}, ["paslon1"])
    register(session, "x", {"pegawai1": None, "pegawai2": None}, ["paslon1"])
    register(session, "facebook", {"pegawai1": people["Pegawai 1"], "pegawai2": people["Pegawai 2"]}, ["paslon1"])
    with ReplayServer(world) as server:
        server.faults.add("youtube.commentThreads", "malformed")  # an error row with a URL and evidence
        server.faults.add("facebook.comments", "5xx", status=500)
        env = {**FAST, "NETRAL_LOG_LEVEL": "DEBUG",
               "NETRAL_YOUTUBE_API_URL": server.youtube_url, "NETRAL_YOUTUBE_API_KEY": SECRETS["youtube"],
               "NETRAL_X_API_URL": server.x_url, "NETRAL_X_BEARER_TOKEN": SECRETS["x"],
               "NETRAL_FACEBOOK_GRAPH_URL": server.facebook_url, "NETRAL_FACEBOOK_ACCESS_TOKEN": SECRETS["facebook"]}
        for platform in SECRETS:
            proc = start_crawl(platform, env=env)
            output, _ = proc.communicate(timeout=120)
            log = output.decode("utf-8", "replace")
            assert proc.returncode == 0, log[-2000:]
            assert "DEBUG" in log and "Crawled (200)" in log
            for secret in SECRETS.values():
                assert secret not in log, f"{platform} crawl logged a credential"
            assert interactions(session, platform), f"{platform} stored nothing"
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    stored = list(session.scalars(select(Evidence)))
    urls = [e.source_url or "" for e in stored] + [e.url or "" for e in session.scalars(select(CrawlError))]
    assert len(stored) >= 6 and any("key=REDACTED" in u for u in urls)
    for secret in SECRETS.values():
        assert not any(secret in u for u in urls)
        assert not any(secret in str(e.headers) for e in stored)
        assert not any(secret.encode() in archive.read(e.sha256) for e in stored)


def test_without_credentials_a_spider_requests_nothing_and_says_why(session: Session) -> None:
    register(session, "youtube", {"pegawai1": None}, ["paslon1"])
    with ReplayServer(ReplayWorld.generate(seed=1, start=recent_start())) as server:
        proc = start_crawl("youtube", env={**FAST, "NETRAL_YOUTUBE_API_URL": server.youtube_url,
                                           "NETRAL_YOUTUBE_API_KEY": ""})
        output, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and server.requests == []
    assert "no YouTube API key (NETRAL_YOUTUBE_API_KEY)" in output.decode()
