"""A scan killed with SIGKILL mid-run and started again loses nothing and duplicates nothing.

The scan runs as the real `netral scan --now` process (with its crawl subprocesses); it is killed as a
process group once items are arriving, then run again. The cases must equal those of a scan that ran
undisturbed on a copy of the same database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import make_engine, make_session_factory
from core.models import ContentItem, Interaction, ScanRun
from pipelines.demo.servers import replay_env
from pipelines.demo.world import build_replay_world, load_scenario
from tests import dbutil
from tests.pipelines.test_scale_out import ELECTION, ROSTER, SLUG, case_keys, seed_database
from testservers.replay.server import ReplayServer

NETRAL = str(Path(sys.executable).parent / "netral")
SCAN = [NETRAL, "scan", "--now", "--election", SLUG, "--platform", "youtube", "--platform", "x",
        "--platform", "facebook", "--since", "2024-09-01"]


def snapshot(url: str) -> tuple[Counter[tuple[str, str, str, tuple[str, ...]]], int, int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        content = session.scalar(select(func.count()).select_from(ContentItem)) or 0
        interactions = session.scalar(select(func.count()).select_from(Interaction)) or 0
    engine.dispose()
    return case_keys(url), content, interactions


def count(url: str, model: type) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.execute(select(func.count()).select_from(model)).scalar() or 0
    engine.dispose()
    return int(value)


@pytest.mark.slow
def test_killed_scan_rerun_loses_and_duplicates_nothing(db_template: str, tmp_path: Path) -> None:
    world, fb_ids = build_replay_world(load_scenario(ROSTER, ELECTION))
    killed_db, clean_db = dbutil.clone(db_template, tmp_path), dbutil.clone(db_template, tmp_path)
    seed_database(killed_db, fb_ids)
    seed_database(clean_db, fb_ids)
    with ReplayServer(world) as replay:
        base = {**os.environ, **replay_env(replay), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        for _ in range(6):  # a few slow answers keep the crawl busy long enough to be killed in the middle
            replay.faults.add("*", "slow", delay=1.0)
        env = {**base, "NETRAL_DATABASE_URL": killed_db, "NETRAL_DATA_DIR": str(tmp_path / "killed")}
        proc = subprocess.Popen(SCAN, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 240
        while count(killed_db, Interaction) == 0:
            assert proc.poll() is None, "the scan ended before it could be killed"
            assert time.monotonic() < deadline, "no interaction arrived"
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        rerun = subprocess.run(SCAN, env=env, capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
        clean = subprocess.run(SCAN, env={**base, "NETRAL_DATABASE_URL": clean_db,
                                          "NETRAL_DATA_DIR": str(tmp_path / "clean")},
                               capture_output=True, text=True, timeout=600)
        assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    recovered, expected = snapshot(killed_db), snapshot(clean_db)
    assert expected[0] and recovered == expected
    engine = make_engine(killed_db)
    with make_session_factory(engine)() as session:
        statuses = sorted(session.scalars(select(ScanRun.status)))
    engine.dispose()
    assert statuses == ["completed", "interrupted"]
