"""``netral crawl PLATFORM [--since] [--election]`` runs a real crawl subprocess and reports its run."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import CrawlRun, Interaction
from core.settings import reset_settings
from crawlers.runner import CrawlFailed, run_crawl
from pipelines.cli import app
from tests import factories
from testservers.synthetic_mastodon import SyntheticMastodon, World

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)


def test_netral_crawl(session: Session, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    server = SyntheticMastodon(World(employees=1, statuses=4, campaigns=1, campaign_statuses=2)).start()
    try:
        monkeypatch.setenv("NETRAL_MASTODON_INSTANCES", json.dumps({"mastodon.test": server.base_url}))
        reset_settings()
        factories.account(session, platform="mastodon", handle="emp0@mastodon.test")
        election = factories.election(session, pairs=1, slug="pilkada-cli")
        election.pairs[0].accounts[0].platform = "mastodon"
        election.pairs[0].accounts[0].handle = "camp0@mastodon.test"
        session.commit()
        runner = CliRunner()
        result = runner.invoke(app, ["crawl", "mastodon", "--since", "2020-01-01", "--election", "pilkada-cli"])
        assert result.exit_code == 0, result.output
        assert "finished" in result.output and "records stored" in result.output
        run = session.scalars(select(CrawlRun)).one()
        assert run.status == "finished" and run.election_slug == "pilkada-cli"
        assert run.since is not None and run.since.year == 2020
        assert session.scalars(select(Interaction)).first() is not None
        bad = runner.invoke(app, ["crawl", "myspace"])
        assert bad.exit_code == 1 and "unknown platform" in bad.output
        # a crawl process that dies before it opens its run is reported, not mistaken for the last run
        with pytest.raises(CrawlFailed, match="did not start"):
            run_crawl("mastodon", env={"NETRAL_CRAWL_BATCH_SIZE": "0"}, timeout=120)
    finally:
        server.stop()


def test_a_rerun_that_changed_nothing_says_so(session: Session, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    server = SyntheticMastodon(World(employees=1, statuses=4, campaigns=1, campaign_statuses=2)).start()
    try:
        monkeypatch.setenv("NETRAL_MASTODON_INSTANCES", json.dumps({"mastodon.test": server.base_url}))
        reset_settings()
        factories.account(session, platform="mastodon", handle="emp0@mastodon.test")
        election = factories.election(session, pairs=1, slug="pilkada-rerun")
        election.pairs[0].accounts[0].platform = "mastodon"
        election.pairs[0].accounts[0].handle = "camp0@mastodon.test"
        session.commit()
        runner = CliRunner()
        first = runner.invoke(app, ["crawl", "mastodon"])
        assert " 0 new" not in first.output and "0 changed, 0 unchanged" in first.output, first.output
        second = runner.invoke(app, ["crawl", "mastodon"])
        assert (second.exit_code, " 0 new, 0 changed, " in second.output) == (0, True), second.output
    finally:
        server.stop()
        reset_settings()
