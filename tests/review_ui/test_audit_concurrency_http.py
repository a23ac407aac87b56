"""50 case views sent at once over real HTTP to uvicorn on 127.0.0.1: the audit chain stays one line, and
``netral audit verify`` (with a checkpoint taken before) says so, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import AuditEvent, Case
from core.settings import Settings
from pipelines.cli import app as cli
from review_ui.app import create_app
from tests.review_ui.conftest import PASSWORD, csrf_of

VIEWS = 50


@pytest.fixture
def server(settings: Settings, users: dict[str, str]) -> Iterator[str]:
    app = create_app(settings, refresh_priorities=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)
    app.state.engine.dispose()


def _logged_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303, r.text
    return client


def test_fifty_parallel_views_over_http_keep_the_chain(server: str, seeded: list[Case], session: Session,
                                                       tmp_path: Path) -> None:
    checkpoint = tmp_path / "cp.json"
    assert CliRunner().invoke(cli, ["audit", "checkpoint", "--out", str(checkpoint)]).exit_code == 0
    before = session.scalar(select(func.max(AuditEvent.id))) or 0
    clients = [_logged_in(server) for _ in range(5)]  # five reviewers' browsers, ten tabs each
    urls = [(clients[i % 5], f"/cases/{seeded[i % len(seeded)].id}") for i in range(VIEWS)]
    start = threading.Barrier(VIEWS)

    def view(job: tuple[httpx.Client, str]) -> int:
        start.wait()
        return job[0].get(job[1]).status_code

    with ThreadPoolExecutor(max_workers=VIEWS) as pool:
        statuses = list(pool.map(view, urls))
    for c in clients:
        c.close()
    session.expire_all()
    views = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "case.view", AuditEvent.id > before))
    result = CliRunner().invoke(cli, ["audit", "verify", "--checkpoint", str(checkpoint)])
    assert (statuses, views, result.exit_code) == ([200] * VIEWS, VIEWS, 0), result.output
