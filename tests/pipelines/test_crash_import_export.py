"""A roster import or a desk export killed with SIGKILL leaves nothing half-done.

Both run as the real ``netral`` process. The import is one transaction: after a kill at any moment the
database holds every row of the file or none, and running it again completes it. An export is written to a
temporary file and renamed when complete: after a kill the target holds a whole report or does not exist.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from core.db import make_engine, make_session_factory
from core.models import Employee, SocialAccount
from core.reports import editing
from tests import dbutil, factories
from tests.core.rosterfiles import write_csv

pytestmark = pytest.mark.slow
NETRAL = str(Path(sys.executable).parent / "netral")
ROWS = 6000
#: Kill moments (seconds after start) spread over start-up, parsing and the write.
DELAYS = (0.8, 1.6, 2.4, 3.2, 4.0, 4.8, 5.6)


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        found = (s.scalar(select(func.count()).select_from(Employee)) or 0,
                 s.scalar(select(func.count()).select_from(SocialAccount)) or 0)
    engine.dispose()
    return found


def _kill_after(cmd: list[str], env: dict[str, str], delay: float) -> bool:
    """Start ``cmd``, SIGKILL it after ``delay`` s; whether it was still running when killed."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(delay)
    alive = proc.poll() is None
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return alive


def test_a_killed_roster_import_writes_all_or_nothing_and_a_rerun_completes(db_template: str,
                                                                           tmp_path: Path) -> None:
    url = dbutil.clone(db_template, tmp_path)
    rows = [[f"THL-2024-{i:05d}", f"Pegawai Uji {i}", f"Dinas {i % 40}", "Staf", "Honorer", "", f"pegawai_{i:05d}"]
            for i in range(ROWS)]
    roster = write_csv(tmp_path / "roster.csv", rows)
    env = {**os.environ, "NETRAL_DATABASE_URL": url, "NETRAL_DATA_DIR": str(tmp_path / "var")}
    cmd = [NETRAL, "roster", "import", str(roster)]
    seen: list[tuple[int, int]] = []
    killed_alive = 0
    for delay in DELAYS:
        killed_alive += _kill_after(cmd, env, delay)
        seen.append(_counts(url))
        if seen[-1] != (0, 0):
            break  # one run completed before its kill: every later state is the full one
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert (killed_alive > 0, set(seen) <= {(0, 0), (ROWS, ROWS)}, done.returncode, _counts(url)) == (
        True, True, 0, (ROWS, ROWS)), (seen, done.stdout[-500:], done.stderr[-500:])


def test_a_killed_desk_export_leaves_no_partial_file(db_template: str, tmp_path: Path) -> None:
    url = dbutil.clone(db_template, tmp_path)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        el = factories.election(s, slug="pilkada-kill-uji")
        report = editing.create_report(s, el, "Laporan Uji Kill", "2024-01-01", "2030-12-31", "admin")
        for n in (1, 2, 3, 4, 5, 6, 7):
            for i in range(20):
                editing.save_entry(s, report, n, None, editing.parse_entry({"activity": f"Kegiatan {n}.{i}"}),
                                   None, "admin")
        s.commit()
    engine.dispose()
    env = {**os.environ, "NETRAL_DATABASE_URL": url, "NETRAL_DATA_DIR": str(tmp_path / "var")}
    out = tmp_path / "out" / "laporan.docx"
    cmd = [NETRAL, "desk", "export", "--election", "pilkada-kill-uji", "--format", "docx", "--out", str(out)]
    states = []
    for delay in DELAYS:
        alive = _kill_after(cmd, env, delay)
        whole = out.exists() and bool(Document(str(out)).paragraphs)
        states.append((alive, out.exists(), whole))
        out.unlink(missing_ok=True)
    leftovers = [p.name for p in out.parent.glob(".laporan.docx.*.tmp")] if out.parent.exists() else []
    partial = [s for s in states if s[1] and not s[2]]
    assert (any(s[0] for s in states), partial) == (True, []), (states, leftovers)
