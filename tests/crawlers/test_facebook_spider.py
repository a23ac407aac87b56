"""The ``facebook`` spider end to end: scrapy subprocess → replay Graph API on 127.0.0.1 → real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import CampaignAccount, Evidence
from tests.crawlers.replay_support import counts, crawl, errors, interactions, recent_start, register, run
from testservers.replay import ReplayServer, ReplayWorld

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)


@pytest.fixture
def world() -> ReplayWorld:
    w = ReplayWorld.generate(seed=9, campaigns=2, employees=3, posts_per_campaign=4, comments_per_post=8,
                             start=recent_start())
    fb = w.facebook
    people = {p.name: p for p in fb.profiles.values()}
    page = fb.by_username("paslon1")
    assert page is not None
    post = next(p for p in fb.posts.values() if p.page_id == page.id)
    for n in range(120):  # more than one page of comments (limit 100)
        fb.add_comment(post, people["Warga 1"], f"komentar {n}", post.created_time + timedelta(seconds=n))
    parent = next(c for c in fb.comments.values() if c.post_id == post.id)
    fb.add_comment(post, people["Pegawai 2"], "setuju, coblos nomor satu", post.created_time + timedelta(hours=1),
                   parent=parent)
    return w


@pytest.fixture
def server(world: ReplayWorld) -> Iterator[ReplayServer]:
    with ReplayServer(world) as srv:
        yield srv


@pytest.fixture
def registered(session: Session, world: ReplayWorld) -> None:
    people = {p.name: p.id for p in world.facebook.profiles.values()}
    # one account declared by its numeric id (a valid registry handle), one by username with its id resolved
    register(session, "facebook", {people["Pegawai 1"]: None, "pegawai2": people["Pegawai 2"]},
             ["paslon1", "paslon2"])


def env(server: ReplayServer) -> dict[str, str]:
    return {"NETRAL_FACEBOOK_GRAPH_URL": server.facebook_url,
            "NETRAL_FACEBOOK_ACCESS_TOKEN": server.world.facebook.access_token}


def expected(world: ReplayWorld) -> set[str]:
    fb = world.facebook
    return {c.id for c in fb.comments.values() if fb.profiles[c.from_id].name in ("Pegawai 1", "Pegawai 2")}


def test_page_feed_comments_paging_and_deletions(session: Session, server: ReplayServer, registered: None) -> None:
    fb = server.world.facebook
    first = crawl("facebook", env(server))
    assert first.status == "finished" and first.errors == 0, first
    stored = interactions(session, "facebook")
    assert set(stored) == expected(server.world) and len(stored) >= 5
    for native_id, inter in stored.items():
        comment = fb.comments[native_id]
        post = fb.posts[comment.post_id]
        assert inter.kind == "comment" and inter.own_content is not None and inter.own_content.text == comment.message
        assert inter.target_content is not None and inter.target_content.native_id == post.id
        assert inter.target_content.text == post.message and inter.target_content.author_id == post.page_id
    reply = next(i for i in stored.values() if i.own_content and i.own_content.text.startswith("setuju"))
    assert reply.own_content is not None and reply.target_content is not None
    assert reply.own_content.parent_native_id not in (None, reply.target_content.native_id)  # the comment replied to
    assert len(server.hits("facebook.comments")) == 9  # 8 posts, one with a second page via paging.next
    assert all(fb.access_token not in r.path for r in server.requests)  # header only, never in URLs
    assert all(fb.access_token not in (e.source_url or "") for e in session.scalars(select(Evidence)))
    pages = session.scalars(select(CampaignAccount.platform_id).where(CampaignAccount.platform == "facebook")).all()
    assert sorted(pages) == sorted(p.id for p in fb.profiles.values() if p.username)  # type: ignore[type-var]

    before = counts(session)
    hits = len(server.hits("facebook.comments"))
    assert crawl("facebook", env(server)).status == "finished" and counts(session) == before
    assert len(server.hits("facebook.comments")) - hits == 8  # newest first, stopped at each post's cursor
    assert all("order=reverse_chronological" in r.path for r in server.hits("facebook.comments")[hits:])

    people = {p.name: p for p in fb.profiles.values()}
    newest = max(fb.posts.values(), key=lambda p: p.created_time)
    fresh = fb.add_comment(newest, people["Pegawai 1"], "mantap paslon", datetime.now(UTC) - timedelta(minutes=1))
    oldest = min(fb.posts.values(), key=lambda p: p.created_time)
    old_thread = min((c for c in fb.comments.values() if c.post_id == oldest.id and c.parent_id is None),
                     key=lambda c: c.created_time)
    late = fb.add_comment(oldest, people["Pegawai 2"], "baru sempat balas: setuju", datetime.now(UTC),
                          parent=old_thread)  # a late reply in an old thread: newest in the flat stream
    doomed = sorted(c for c in expected(server.world) - {fresh.id}
                    if fb.comments[c].from_id == people["Pegawai 1"].id)[0]  # the account declared by id
    fb.delete_comment(doomed)
    third = crawl("facebook", env(server))
    assert third.status == "finished"
    now = interactions(session, "facebook")
    assert fresh.id in now and late.id in now and now[doomed].deleted_at is not None
    gone = now[doomed].own_content
    assert gone is not None and gone.deleted_at is not None


def test_faults_and_graph_errors_are_recorded_and_the_crawl_goes_on(session: Session, server: ReplayServer,
                                                                    registered: None) -> None:
    server.faults.add("facebook.feed", "429", retry_after=1)
    server.faults.add("facebook.comments", "5xx", status=500)
    server.faults.add("facebook.comments", "slow", delay=3.0)
    server.faults.add("facebook.comments", "malformed")
    first = crawl("facebook", env(server))
    assert first.status == "finished_with_errors"  # the malformed body is a crawl error
    assert sorted(k for _, k, _ in server.faults.fired) == ["429", "5xx", "malformed", "slow"]
    [error] = errors(session, first.run_id)
    assert error.kind == "malformed" and error.evidence_id is not None
    second = crawl("facebook", env(server))
    assert second.status == "finished" and second.errors == 0
    assert set(interactions(session, "facebook")) == expected(server.world)

    third = crawl("facebook", {**env(server), "NETRAL_FACEBOOK_ACCESS_TOKEN": "expired-token"})
    assert third.status == "finished_with_errors" and third.errors >= 2
    assert any("Graph error 190" in e.message for e in errors(session, third.run_id))


def test_comments_fewer_than_the_summary_count_are_reported(session: Session, server: ReplayServer,
                                                            registered: None) -> None:
    """A comment the Page hid is counted in ``summary.total_count`` but not listed: the run names the
    post's list as incomplete rather than passing as a full collection."""
    fb = server.world.facebook
    hidden = next(iter(fb.comments.values()))
    fb.hidden_comments.add(hidden.id)
    outcome = crawl("facebook", env(server))
    assert run(session, outcome.run_id).stats.get("netral/lists_incomplete", 0) == 1
