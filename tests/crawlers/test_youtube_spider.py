"""The ``youtube`` spider end to end: scrapy subprocess → replay Data API v3 on 127.0.0.1 → real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import CampaignAccount, ContentItem, Evidence, SocialAccount
from core.settings import Settings
from tests.crawlers.replay_support import counts, crawl, errors, interactions, recent_start, register, run
from testservers.replay import ReplayServer, ReplayWorld

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)

REGISTERED = ("pegawai1", "pegawai2")


@pytest.fixture
def world() -> ReplayWorld:
    w = ReplayWorld.generate(seed=11, campaigns=2, employees=3, posts_per_campaign=4, comments_per_post=6,
                             start=recent_start())
    yt = w.youtube
    channels = {c.handle: c for c in yt.channels.values()}
    video = next(v for v in yt.videos.values() if v.channel_id == channels["paslon1"].id)
    at = video.published_at + timedelta(hours=1)
    for n in range(130):  # more than one page of threads (100 per page)
        yt.add_comment(video, channels[f"warga{n % 3 + 1}"], f"komentar warga {n}", at + timedelta(seconds=n))
    busy = yt.add_comment(video, channels["warga1"], "siapa calon terbaik?", at - timedelta(minutes=5))
    for n in range(7):  # more replies than the five commentThreads inlines: comments.list pages them
        author = channels["pegawai2"] if n == 6 else channels["warga2"]
        yt.add_comment(video, author, f"balasan {n}: nomor dua", at + timedelta(minutes=n), parent=busy)
    return w


@pytest.fixture
def server(world: ReplayWorld) -> Iterator[ReplayServer]:
    with ReplayServer(world) as srv:
        yield srv


def env(server: ReplayServer) -> dict[str, str]:
    return {"NETRAL_YOUTUBE_API_URL": server.youtube_url, "NETRAL_YOUTUBE_API_KEY": server.world.youtube.api_key}


def expected(world: ReplayWorld) -> set[str]:
    yt = world.youtube
    return {c.id for c in yt.comments.values() if yt.channels[c.author_channel_id].handle in REGISTERED}


@pytest.fixture
def registered(session: Session, world: ReplayWorld) -> None:
    """Campaign 1 and pegawai1 by @handle, campaign 2 and pegawai2 by channel id (both are valid handles)."""
    ids = {c.handle: c.id for c in world.youtube.channels.values()}
    register(session, "youtube", {"pegawai1": None, ids["pegawai2"]: None}, ["paslon1", ids["paslon2"]])


def test_comments_of_registered_accounts_become_interactions_once(
        session: Session, settings: Settings, server: ReplayServer, registered: None) -> None:
    world = server.world
    first = crawl("youtube", env(server))
    assert first.status == "finished" and first.errors == 0, first
    stored = interactions(session, "youtube")
    assert set(stored) == expected(world) and len(expected(world)) >= 5
    for native_id, inter in stored.items():
        comment = world.youtube.comments[native_id]
        video = world.youtube.videos[comment.video_id]
        assert inter.kind == "comment" and inter.actor_account_id is not None
        assert inter.own_content is not None and inter.own_content.text == comment.text
        assert inter.target_content is not None and inter.target_content.native_id == video.id
        assert inter.target_content.kind == "video" and video.title in inter.target_content.text
        assert inter.target_content.author_id == video.channel_id and inter.evidence_id is not None
    reply = next(i for i in stored.values() if "balasan 6" in (i.own_content.text if i.own_content else ""))
    assert reply.own_content is not None and reply.own_content.parent_native_id is not None
    campaign = session.scalars(select(CampaignAccount).where(CampaignAccount.handle == "paslon1")).one()
    assert campaign.platform_id == next(c.id for c in world.youtube.channels.values() if c.handle == "paslon1")
    resolved = {a.handle: a.platform_id for a in session.scalars(select(SocialAccount))}
    assert resolved["pegawai1"] == next(c.id for c in world.youtube.channels.values() if c.handle == "pegawai1")
    strangers = session.scalars(select(ContentItem).where(ContentItem.text.like("komentar warga%"))).all()
    assert strangers == []  # only registered accounts' comments are kept

    archive = EvidenceArchive(settings.resolved_evidence_dir)
    for ev in session.scalars(select(Evidence)):
        assert ev.source_url and world.youtube.api_key not in ev.source_url
        assert world.youtube.api_key.encode() not in archive.read(ev.sha256)

    before, threads_calls = counts(session), len(server.hits("youtube.commentThreads"))
    second = crawl("youtube", env(server))
    assert second.status == "finished" and counts(session) == before
    assert len(server.hits("youtube.commentThreads")) - threads_calls == 8  # one page per video: cursor stops it

    yt = world.youtube
    channels = {c.handle: c for c in yt.channels.values()}
    video = next(iter(yt.videos.values()))
    fresh = yt.add_comment(video, channels["pegawai1"], "ayo coblos nomor satu",
                           datetime.now(UTC) - timedelta(minutes=5))
    gone_id = sorted(expected(world) - {fresh.id})[0]
    yt.delete_comment(gone_id)
    video2 = next(v for v in yt.videos.values() if v.channel_id == channels["paslon2"].id)  # registered by id
    video2_comments = {c.id for c in yt.comments.values() if c.video_id == video2.id} & expected(world)
    yt.delete_video(video2.id)
    third = crawl("youtube", env(server))
    assert third.status == "finished"
    session.expire_all()
    removed = session.scalars(select(ContentItem).where(ContentItem.native_id == video2.id)).one()
    assert removed.deleted_at is not None and removed.evidence_id is not None
    assert video2_comments and all(interactions(session, "youtube")[c].deleted_at for c in video2_comments)
    now = interactions(session, "youtube")
    assert fresh.id in now and now[fresh.id].deleted_at is None
    gone = now[gone_id]
    assert gone.deleted_at is not None and gone.own_content is not None and gone.own_content.deleted_at is not None
    assert gone.evidence_id is not None and archive.read(gone.evidence.sha256)  # type: ignore[union-attr]


def test_429_5xx_timeouts_and_malformed_bodies(session: Session, settings: Settings, server: ReplayServer,
                                               registered: None) -> None:
    server.faults.add("youtube.commentThreads", "429", retry_after=1.2)
    server.faults.add("youtube.playlistItems", "5xx", status=503)
    server.faults.add("youtube.comments", "slow", delay=3.0)
    server.faults.add("youtube.commentThreads", "malformed")
    first = crawl("youtube", env(server))
    assert first.status == "finished_with_errors"  # the malformed body is a crawl error
    assert sorted(k for _, k, _ in server.faults.fired) == ["429", "5xx", "malformed", "slow"]
    hits = server.requests
    limited = next(n for n, r in enumerate(hits) if r.status == 429)
    retried = next(r for r in hits[limited + 1:] if r.path == hits[limited].path)
    assert retried.at - hits[limited].at >= 1.1  # Retry-After honoured
    [error] = errors(session, first.run_id)
    assert error.kind == "malformed" and error.evidence_id is not None
    assert error.url and server.world.youtube.api_key not in error.url and "key=REDACTED" in error.url
    kept = session.get(Evidence, error.evidence_id)
    assert kept is not None
    body = EvidenceArchive(settings.resolved_evidence_dir).read(kept.sha256)
    with pytest.raises(ValueError):
        json.loads(body)  # the broken body itself is kept as evidence
    second = crawl("youtube", env(server))
    assert second.status == "finished" and second.errors == 0
    assert set(interactions(session, "youtube")) == expected(server.world)  # the failed stream is walked again


def test_quota_exhaustion_stops_cleanly_and_the_next_run_resumes(session: Session, server: ReplayServer,
                                                                 registered: None) -> None:
    yt = server.world.youtube
    yt.quota_budget = 6
    first = crawl("youtube", env(server))
    assert first.status == "quota_exceeded" and first.returncode == 0
    assert any(e.kind == "quota" for e in errors(session, first.run_id))
    partial = set(interactions(session, "youtube"))
    assert partial < expected(server.world)
    yt.quota_budget, yt.quota_used = None, 0  # a new day
    second = crawl("youtube", env(server))
    assert second.status == "finished"
    assert set(interactions(session, "youtube")) == expected(server.world)
    assert run(session, second.run_id).items_stored > 0


def test_fewer_replies_than_total_reply_count_is_reported(session: Session, server: ReplayServer,
                                                          registered: None) -> None:
    """A reply held for review is counted in ``totalReplyCount`` but not listed: the run says the list
    was incomplete instead of passing as a full collection."""
    yt = server.world.youtube
    busy = next(c for c in yt.comments.values() if c.text == "siapa calon terbaik?")
    held = next(c for c in yt.comments.values() if c.parent_id == busy.id and c.text.startswith("balasan 0"))
    yt.held_replies.add(held.id)
    outcome = crawl("youtube", env(server))
    assert outcome.status == "finished"
    stats = run(session, outcome.run_id).stats
    assert stats.get("netral/lists_incomplete", 0) == 1
