"""Over real HTTP (uvicorn on 127.0.0.1, behind a configured trusted proxy): twelve wrong passwords sent at
once from one client get exactly ``login_max_failures`` password checks, and the same user logging in from
another client at that moment is let in (issue #11: five failures locked a named user out everywhere)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from core.settings import Settings
from review_ui.app import create_app
from tests.review_ui.conftest import PASSWORD, csrf_of

GUESSES = 12


@pytest.fixture
def server(settings: Settings, users: dict[str, str]) -> Iterator[str]:
    settings.trusted_proxies = "127.0.0.1"  # the test client plays the proxy and names the clients
    settings.login_delay_seconds = 600.0  # the wait cannot run out while the requests queue
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


def _client(base: str, address: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=60, headers={"x-forwarded-for": address})
    return client, csrf_of(client.get("/login").text)


def test_parallel_guesses_and_the_victim_elsewhere(server: str) -> None:
    attackers = [_client(server, "198.51.100.66") for _ in range(GUESSES)]
    victim, victim_token = _client(server, "198.51.100.8")
    start = threading.Barrier(GUESSES)

    def guess(job: tuple[httpx.Client, str]) -> int:
        start.wait()
        return job[0].post("/login", data={"username": "admin", "password": "salah-salah",
                                           "csrf_token": job[1]}).status_code

    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        statuses = Counter(pool.map(guess, attackers))
    r = victim.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": victim_token})
    for c, _ in [*attackers, (victim, "")]:
        c.close()
    assert (statuses, r.status_code) == (Counter({401: 5, 429: GUESSES - 5}), 303)
