"""Politeness, faults and crash safety of a crawl, against the synthetic Mastodon server on loopback.

- 429 with Retry-After is honoured (the retry waits), a 503 is retried with backoff;
- a malformed body is recorded as a crawl error with the raw body kept as evidence, the crawl goes on,
  and the broken stream's cursor is not advanced (the next run fetches it);
- a token never reaches the evidence or the log;
- a crawl killed with SIGKILL mid-run, then run again, ends with exactly what an uninterrupted crawl
  stores: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core import migrate
from core.db import make_engine
from core.evidence import EvidenceArchive
from core.models import ContentItem, CrawlCursor, CrawlError, CrawlRun, Evidence, Interaction, SocialAccount
from core.settings import Settings
from crawlers.runner import read_outcome, run_crawl, start_crawl
from tests import factories
from testservers.synthetic_mastodon import SyntheticMastodon, World

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)

TOKEN = "sekret-token-8c1f"


def register(session: Session, world: World) -> None:
    for e in range(world.employees):
        factories.account(session, platform="mastodon", handle=f"emp{e}@mastodon.test")
    election = factories.election(session, pairs=world.campaigns)
    for c, pair in enumerate(election.pairs):
        pair.accounts[0].platform = "mastodon"
        pair.accounts[0].handle = f"camp{c}@mastodon.test"
    session.commit()


def env_for(server: SyntheticMastodon, **extra: str) -> dict[str, str]:
    return {"NETRAL_MASTODON_INSTANCES": json.dumps({"mastodon.test": server.base_url}),
            "NETRAL_MASTODON_TOKENS": json.dumps({"mastodon.test": TOKEN}),
            "NETRAL_MASTODON_REQUESTS_PER_SECOND": "1000", "NETRAL_CRAWL_BACKOFF_SECONDS": "0.2", **extra}


@pytest.fixture
def server() -> Iterator[SyntheticMastodon]:
    srv = SyntheticMastodon(World(employees=3, statuses=8, campaigns=2, campaign_statuses=3)).start()
    yield srv
    srv.stop()


def snapshot(session: Session) -> tuple[set[str], list[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """Content ids, interactions (actor, kind, natural key; a list, to see duplicates) and cursors."""
    session.expire_all()
    content = set(session.scalars(select(ContentItem.native_id)))
    inter = [(handle, kind, native) for handle, kind, native in session.execute(
        select(SocialAccount.handle, Interaction.kind, Interaction.native_id)
        .join(SocialAccount, SocialAccount.id == Interaction.actor_account_id)
        .join(ContentItem, ContentItem.id == Interaction.target_content_id))]
    cursors = set(session.execute(select(CrawlCursor.subject, CrawlCursor.stream, CrawlCursor.value)).tuples())
    return content, inter, cursors


def test_rate_limits_backoff_malformed_bodies_and_secrets(server: SyntheticMastodon, session: Session,
                                                          db_url: str, tmp_path: Path) -> None:
    register(session, server.world)
    server.faults.add("/accounts/1000/statuses", 429, b'{"error":"Too many requests"}', {"Retry-After": "1"})
    server.faults.add("/context", 503, b"unavailable")
    server.faults.add("/accounts/1001/statuses", 200, b'[{"id": "1", "uri": ')  # cut off mid-body
    proc = start_crawl("mastodon", env=env_for(server))
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, output.decode()
    assert TOKEN.encode() not in output

    hits = [t for t, path in server.log if "/accounts/1000/statuses" in path]
    assert len(hits) >= 2 and hits[1] - hits[0] >= 0.95  # waited for Retry-After before retrying
    assert sum("/context" in path for _, path in server.log) == server.world.campaigns * 3 + 1  # one retry

    run = session.scalars(select(CrawlRun)).one()
    assert run.status == "finished_with_errors"  # the malformed body is a crawl error
    error = session.scalars(select(CrawlError)).one()
    assert error.kind == "malformed" and error.run_id == run.id and "1001/statuses" in (error.url or "")
    archive = EvidenceArchive(tmp_path / "var" / "evidence")
    evidence = session.get(Evidence, error.evidence_id)
    assert evidence is not None and archive.read(evidence.sha256) == b'[{"id": "1", "uri": '
    _, inter, cursors = snapshot(session)
    actors = {handle for handle, _, _ in inter}
    assert {"emp0@mastodon.test", "emp2@mastodon.test"} <= actors  # the crawl went on
    assert not any(s == "emp1@mastodon.test" and stream == "statuses" for s, stream, _ in cursors)
    for row in session.scalars(select(Evidence)):
        body = archive.read(row.sha256)
        assert TOKEN.encode() not in body and TOKEN not in json.dumps(row.headers)
        assert TOKEN not in (row.source_url or "")

    outcome = run_crawl("mastodon", env=env_for(server), timeout=120)  # the broken stream is fetched again
    assert outcome.status == "finished" and outcome.errors == 0
    _, inter, cursors = snapshot(session)
    own = [kind for handle, kind, _ in inter if handle == "emp1@mastodon.test" and kind in {"post", "comment", "quote"}]
    assert len(own) == 6  # emp1's 8 statuses: 2 posts, 2 replies, 2 quotes (+ 2 boosts, shares)
    assert ("emp1@mastodon.test", "statuses", "20100007") in cursors


@pytest.mark.slow
def test_sigkill_mid_crawl_then_rerun_loses_and_duplicates_nothing(session: Session, db_url: str,
                                                                  tmp_path: Path) -> None:
    world = World(employees=6, statuses=60, campaigns=2, campaign_statuses=5)
    register(session, world)
    reference_db = tmp_path / "reference.db"
    migrate.upgrade(f"sqlite:///{reference_db}")
    ref_engine = make_engine(f"sqlite:///{reference_db}")
    with Session(ref_engine) as ref:
        register(ref, world)

    fast = SyntheticMastodon(world).start()
    try:
        ref_settings = Settings(database_url=f"sqlite:///{reference_db}", data_dir=tmp_path / "ref")
        outcome = run_crawl("mastodon", timeout=120, settings=ref_settings, env=env_for(
            fast, NETRAL_DATABASE_URL=f"sqlite:///{reference_db}", NETRAL_DATA_DIR=str(tmp_path / "ref")))
        assert outcome.status == "finished"
    finally:
        fast.stop()
    with Session(ref_engine) as ref:
        expected = snapshot(ref)
    ref_engine.dispose()
    assert len(expected[1]) >= world.employees * world.statuses

    slow = SyntheticMastodon(world, delay=0.05).start()
    try:
        env = env_for(slow, NETRAL_CRAWL_FLUSH_SECONDS="0.2", NETRAL_CRAWL_BATCH_SIZE="25",
                      NETRAL_MASTODON_CONCURRENCY="2")
        proc = start_crawl("mastodon", env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            stored = session.scalar(select(func.count()).select_from(Interaction)) or 0
            session.rollback()
            if stored >= 40:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = snapshot(session)
        assert 0 < len(partial[1]) < len(expected[1])  # killed mid-run
        assert session.scalars(select(CrawlRun.status)).one() == "running"
        session.rollback()
        slow.delay = 0.0
        outcome = run_crawl("mastodon", env=env, timeout=120)
        assert outcome.status == "finished"
    finally:
        slow.stop()
    content, inter, cursors = snapshot(session)
    assert len(inter) == len(set(inter))  # nothing duplicated
    assert (content, set(inter), cursors) == (expected[0], set(expected[1]), expected[2])  # nothing lost
    assert len(inter) == len(expected[1])
    assert sorted(session.scalars(select(CrawlRun.status))) == ["finished", "killed"]


def _refuse_content(session: Session, native_id: str) -> None:
    """A trigger that makes the database refuse one content row (what a constraint or a full disk does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"""CREATE FUNCTION refuse_content() RETURNS trigger AS $$
            BEGIN IF NEW.native_id = '{native_id}' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END;
            $$ LANGUAGE plpgsql"""))
        session.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON content_item "
                             "FOR EACH ROW EXECUTE FUNCTION refuse_content()"))
    else:
        session.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON content_item "
                             f"WHEN NEW.native_id = '{native_id}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"))
    session.commit()


def _allow_content(session: Session) -> None:
    session.execute(text("DROP TRIGGER refuse" + (" ON content_item" if session.get_bind().dialect.name
                                                   == "postgresql" else "")))
    session.commit()


def test_a_batch_the_database_refuses_is_retried_then_the_run_fails_and_a_rerun_stores_it(
        server: SyntheticMastodon, session: Session) -> None:
    """Stores run in a writer thread: a refused batch is kept and retried with the next one (never skipped,
    so no cursor passes it), the run ends ``store_failed``, and once the fault is gone a rerun stores all."""
    register(session, server.world)
    refused = f"https://mastodon.test/users/emp2/statuses/{server.world.emp_status(2, 4)}"
    _refuse_content(session, refused)
    env = env_for(server, NETRAL_CRAWL_BATCH_SIZE="5", NETRAL_MASTODON_CONCURRENCY="1")
    outcome = run_crawl("mastodon", env=env, timeout=120)
    run = session.get(CrawlRun, outcome.run_id)
    assert run is not None and run.status == "store_failed"
    assert run.stats["netral/batch_failures"] >= 2  # retried with the batches that followed, each refused
    assert session.scalar(select(func.count()).where(ContentItem.native_id == refused)) == 0
    partial = snapshot(session)
    _allow_content(session)
    session.rollback()
    assert run_crawl("mastodon", env=env, timeout=120).status == "finished"
    content, inter, _ = snapshot(session)
    assert refused in content and partial[0] < content
    assert set(partial[1]) < set(inter) and len(inter) == len(set(inter))
    assert len(inter) >= server.world.employees * server.world.statuses


def test_a_crawl_is_found_again_by_its_tag_not_as_the_newest_run(server: SyntheticMastodon, session: Session) -> None:
    """Who starts a crawl (a flow, maybe on another machine) reads back that run, not whichever is newest."""
    register(session, server.world)
    env = env_for(server)
    first = run_crawl("mastodon", env=env, timeout=120, tag="scan-7-shard-0")
    second = run_crawl("mastodon", env=env, timeout=120)  # its own fresh token
    assert first.run_id != second.run_id and second.status == "finished"
    again = read_outcome("mastodon", 0, 0.0, spider="mastodon", tag="scan-7-shard-0")
    assert (again.run_id, again.status) == (first.run_id, "finished")
    assert read_outcome("mastodon", 0, 0.0, spider="mastodon", tag="never-started").status == "missing"
    tags = [run.stats.get("netral/tag") for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    assert tags[0] == "scan-7-shard-0" and tags[1] and tags[1] != tags[0]
