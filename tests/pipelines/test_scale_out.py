"""Scale-out: a real Prefect server, a `process` work pool and two real workers share the crawl shards.

Every shard must run exactly once, and the cases must equal those of a single-process scan of the
same world.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db import make_engine, make_session_factory
from core.models import Case, ContentItem, CrawlRun, Employee, Incident, ScanRun
from core.registry.election_import import import_election
from core.registry.roster_import import import_roster
from core.settings import reset_settings
from pipelines.demo.servers import replay_env, set_platform_ids
from pipelines.demo.world import build_replay_world, load_scenario
from tests import dbutil
from tests.pipelines.prefect_procs import BIN, PrefectServer, prefect_env, start_worker
from testservers.replay.server import ReplayServer

ROSTER, ELECTION = Path("examples/roster.csv"), Path("examples/election.yaml")
SLUG = "pilkada-sungai-tenang-2024"
PLATFORMS = ["youtube", "x", "facebook"]
SHARDS = 2


def seed_database(url: str, fb_ids: dict[str, str]) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        import_election(session, ELECTION)
        import_roster(session, ROSTER)
        set_platform_ids(session, "facebook", fb_ids)
        session.commit()
    engine.dispose()


def case_keys(url: str) -> Counter[tuple[str, str, str, tuple[str, ...]]]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        rows = session.execute(select(Employee.id_number, Incident.platform, ContentItem.native_id,
                                      Incident.candidate_codes)
                               .join(Case, Case.id == Incident.case_id)
                               .join(Employee, Employee.id == Case.employee_id)
                               .join(ContentItem, ContentItem.id == Incident.target_content_id)).all()
    engine.dispose()
    return Counter((n, p, t, tuple(c)) for n, p, t, c in rows)


@pytest.mark.slow
def test_two_workers_run_each_shard_once_and_match_a_single_process_scan(
    db_template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(ROSTER, ELECTION)
    world, fb_ids = build_replay_world(scenario)
    distributed_db, single_db = dbutil.clone(db_template, tmp_path), dbutil.clone(db_template, tmp_path)
    seed_database(distributed_db, fb_ids)
    seed_database(single_db, fb_ids)
    pg = dbutil.server_url()
    prefect_db = None
    if pg:  # production shape: the Prefect server on PostgreSQL too
        prefect_db = dbutil.empty(tmp_path).replace("postgresql+psycopg", "postgresql+asyncpg")
    server = PrefectServer(tmp_path / "prefect-home", prefect_db)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with ReplayServer(world) as replay:
            crawl_env = {**replay_env(replay), "NETRAL_DATABASE_URL": distributed_db,
                         "NETRAL_DATA_DIR": str(tmp_path / "var")}
            server.wait()
            env = prefect_env(tmp_path / "prefect-client", server.api_url, crawl_env)
            subprocess.run([str(BIN / "prefect"), "work-pool", "create", "netral-pool", "--type", "process"],
                           env=env, check=True, capture_output=True)
            deployed = subprocess.run([str(BIN / "netral"), "flows", "deploy", "--work-pool", "netral-pool",
                                       "--election", SLUG], env=env, capture_output=True, text=True)
            assert deployed.returncode == 0, deployed.stdout + deployed.stderr
            workers = [start_worker(f"worker-{i}", "netral-pool", env, tmp_path) for i in (1, 2)]
            run = subprocess.run(
                [str(BIN / "prefect"), "deployment", "run", f"nightly-scan/nightly-scan-{SLUG}", "--watch",
                 "--param", f"election={SLUG}", "--param", f"shards={SHARDS}", "--param", "distributed=true",
                 "--param", "since=2024-09-01", "--param", f'platforms={__import__("json").dumps(PLATFORMS)}'],
                env=env, capture_output=True, text=True, timeout=600)
            assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

            # every shard ran exactly once
            engine = make_engine(distributed_db)
            with make_session_factory(engine)() as session:
                labels = Counter(session.scalars(select(CrawlRun.spider)))
                statuses = set(session.scalars(select(CrawlRun.status)))
                crawl_runs = session.scalars(select(CrawlRun)).all()
                tags = [r.stats.get("netral/tag") for r in crawl_runs]
                stored = Counter[str]()
                for r in crawl_runs:
                    stored[r.platform] += r.items_stored
                summary = session.scalars(select(ScanRun.summary)).one()
            engine.dispose()
            # each shard's run was read back by the token the scan gave it, not as "the newest run"
            assert all(tags) and len(set(tags)) == len(tags)
            assert {p: v["items"] for p, v in summary["platforms"].items()} == dict(stored)
            assert labels == Counter({f"{p}#{s}/{SHARDS}": 1 for p in PLATFORMS for s in range(SHARDS)})
            assert statuses == {"finished"}
            logs = [(tmp_path / f"worker-{i}.log").read_text(errors="replace") for i in (1, 2)]
            assert all("crawl-shard" in log or "nightly-scan" in log for log in logs), "a worker ran nothing"

            # the same cases as a single-process scan of the same world
            for key, value in {**replay_env(replay), "NETRAL_DATABASE_URL": single_db,
                               "NETRAL_DATA_DIR": str(tmp_path / "var1")}.items():
                monkeypatch.setenv(key, value)
            monkeypatch.delenv("PREFECT_API_URL", raising=False)
            reset_settings()
            from prefect.testing.utilities import prefect_test_harness

            from pipelines.scan import nightly_scan

            with prefect_test_harness(server_startup_timeout=120):
                nightly_scan(election=SLUG, platforms=PLATFORMS, since="2024-09-01")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.stop()
        reset_settings()
    single, distributed = case_keys(single_db), case_keys(distributed_db)
    assert single and distributed == single
