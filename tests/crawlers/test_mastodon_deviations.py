"""Mastodon-API servers that differ from Mastodon 4.3, each served by the synthetic server on loopback.

- no batch status lookup (``GET /api/v1/statuses?id[]=`` answers 405): replies are resolved and deleted
  campaign statuses found one request per status, the streams' cursors are stored, no crawl error;
- favourites paging that skips accounts (its ``Link`` next uses the wrong ``max_id``): the list does not
  match the status's ``favourites_count``, so nothing is inferred withdrawn and the run says
  "list incomplete";
- a missing token: every crawl error names NETRAL_MASTODON_TOKENS, the run ends finished_with_errors and
  ``netral crawl`` exits 1 (nothing could be collected);
- an unknown handle: the error names the handle and its roster row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import ContentItem, CrawlCursor, CrawlError, CrawlRun, Interaction
from core.settings import reset_settings
from crawlers.runner import run_crawl
from pipelines.cli import app
from tests import factories
from tests.crawlers.test_crawl_faults import env_for, register
from testservers.synthetic_mastodon import SyntheticMastodon, World

pytestmark = pytest.mark.slow


@pytest.fixture
def old_server() -> Iterator[SyntheticMastodon]:
    srv = SyntheticMastodon(World(employees=2, statuses=8, campaigns=1, campaign_statuses=3,
                                  batch_lookup=False)).start()
    yield srv
    srv.stop()


def test_without_batch_lookup_replies_resolve_and_cursors_are_stored(old_server: SyntheticMastodon,
                                                                     session: Session, db_url: str) -> None:
    register(session, old_server.world)
    outcome = run_crawl("mastodon", env=env_for(old_server), timeout=120)
    assert (outcome.status, outcome.errors) == ("finished", 0)
    session.expire_all()
    streams = set(session.scalars(select(CrawlCursor.subject)))
    assert {"emp0@mastodon.test", "emp1@mastodon.test"} <= streams
    comments = session.scalars(select(Interaction).where(Interaction.kind == "comment")).all()
    assert comments and all(c.target_content_id is not None for c in comments)
    assert session.scalars(select(CrawlError)).first() is None


def test_without_batch_lookup_deleted_campaign_statuses_are_marked(old_server: SyntheticMastodon,
                                                                   session: Session, db_url: str) -> None:
    register(session, old_server.world)
    assert run_crawl("mastodon", env=env_for(old_server), timeout=120).status == "finished"
    gone = old_server.world.camp_status(0, 1)
    old_server.world.deleted.add(gone)
    assert run_crawl("mastodon", env=env_for(old_server), timeout=120).status == "finished"
    session.expire_all()
    deleted = set(session.scalars(select(ContentItem.extra["id"].as_string()).where(
        ContentItem.deleted_at.is_not(None))))
    assert deleted == {str(gone)}


def test_paging_that_skips_accounts_is_no_withdrawal(session: Session, db_url: str) -> None:
    server = SyntheticMastodon(World(employees=6, statuses=0, campaigns=1, campaign_statuses=1,
                                     accounts_page=2)).start()
    try:
        register(session, server.world)
        assert run_crawl("mastodon", env=env_for(server), timeout=120).status == "finished"
        session.expire_all()
        likes = set(session.scalars(select(Interaction.native_id).where(Interaction.kind == "like")))
        assert len(likes) == 3  # emp0, emp2, emp4 favourited the campaign status, all seen
        server.world.paging_skips = 1  # now the Link next jumps over one favouriter
        outcome = run_crawl("mastodon", env=env_for(server), timeout=120)
        session.expire_all()
        withdrawn = session.scalars(select(Interaction.native_id).where(Interaction.deleted_at.is_not(None))).all()
        assert withdrawn == []
        run = session.get(CrawlRun, outcome.run_id)
        assert run is not None and run.stats.get("netral/lists_incomplete", 0) >= 1
    finally:
        server.stop()


def test_missing_token_names_the_setting_and_the_crawl_exits_non_zero(session: Session, db_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    server = SyntheticMastodon(World(employees=1, statuses=2, campaigns=1, campaign_statuses=1,
                                     token="only-with-this")).start()
    try:
        register(session, server.world)
        monkeypatch.setenv("NETRAL_MASTODON_INSTANCES", json.dumps({"mastodon.test": server.base_url}))
        monkeypatch.delenv("NETRAL_MASTODON_TOKENS", raising=False)
        reset_settings()
        result = CliRunner().invoke(app, ["crawl", "mastodon"])
        assert result.exit_code == 1, result.output
        session.expire_all()
        run = session.scalars(select(CrawlRun)).one()
        messages = set(session.scalars(select(CrawlError.message)))
        assert run.status == "finished_with_errors"
        assert messages and all("token for mastodon.test missing or rejected" in m and
                                "set NETRAL_MASTODON_TOKENS" in m for m in messages)
    finally:
        server.stop()
        reset_settings()


def test_unknown_handle_names_the_account_and_its_roster_row(session: Session, db_url: str) -> None:
    server = SyntheticMastodon(World(employees=1, statuses=2, campaigns=1, campaign_statuses=1)).start()
    try:
        register(session, server.world)
        ghost = factories.account(session, platform="mastodon", handle="emp9@mastodon.test")
        session.commit()
        outcome = run_crawl("mastodon", env=env_for(server), timeout=120)
        session.expire_all()
        messages = list(session.scalars(select(CrawlError.message)))
        assert outcome.status == "finished_with_errors"
        assert messages == [f"account @emp9@mastodon.test not found on mastodon.test "
                            f"(roster: social account {ghost.id}); correct or deactivate it"]
    finally:
        server.stop()
