"""Load test of the review UI: N concurrent reviewers on loopback, p50/p95/p99 per page and errors.

Usage (after ``python -m bench.ui.generate --url URL``)::

    python -m bench.ui.load --url sqlite:///var/bench/ui.db --users 50 --seconds 60

It starts ``netral serve`` on a free loopback port against URL, creates the bench reviewer accounts if
missing, logs every virtual user in (not timed: argon2 is slow on purpose), then each user loops: open
the queue (a filter in one request out of three, a later page in one out of five), then a case page (an
audited view of personal data). ``--think 0`` (default) loops without pause (closed loop: saturation);
``--think S`` pauses S seconds ±50% after each request, users arriving spread over the first 2·S seconds.
Latency is measured per request by the client; ``Server-Timing`` gives the time inside the app.
Goal: p95 ≤ 150 ms with 0 errors at 50 users on 100,000 incidents in 6,000 cases (one per person).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict

import httpx
from sqlalchemy import func, select

from core import cases
from core.accounts import hash_password
from core.db import make_engine, make_session_factory
from core.models import Case, User
from core.settings import get_settings

PASSWORD = "bench-password"
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
FILTERS = [{"platform": "bluesky"}, {"unit": "Dinas 07"}, {"code": "HD-6"}, {"score_min": "0.8"},
           {"age_min": "10"}, {"status": "all"}, {"pair": "2"}, {"contest": "pilgub-bench-2024"}]


def ensure_users(url: str, n: int) -> int:
    """Create ``bench-reviewer-<i>`` accounts (one hash shared) and bring the queue priorities up to date
    (as the hourly refresh keeps them), so the timed run measures the steady state; returns the top case id."""
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        changed = cases.refresh_priorities(s, get_settings())
        s.commit()
        print(f"priorities refreshed before the run: {changed:,} changed")
        have = set(s.scalars(select(User.username).where(User.username.like("bench-reviewer-%"))))
        digest = hash_password(PASSWORD)
        for i in range(n):
            name = f"bench-reviewer-{i}"
            if name not in have:
                s.add(User(username=name, display_name=name, role="reviewer", password_hash=digest, active=True))
        s.commit()
        top = s.scalar(select(func.max(Case.id))) or 0
    engine.dispose()
    return int(top)


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``netral serve`` in its own process(es), logs to stderr."""
    env = {**os.environ, "NETRAL_DATABASE_URL": url, "NETRAL_LOG_LEVEL": "WARNING"}
    return subprocess.Popen([sys.executable, "-c", "from pipelines.cli import main; main()", "serve",
                             "--port", str(port), "--workers", str(workers)], env=env)


async def wait_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if proc.poll() is not None:
                raise SystemExit("server exited")
            try:
                await client.get(f"{base}/healthz")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise SystemExit("server did not start")


async def login(base: str, i: int) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    token = TOKEN.search((await client.get("/login")).text)
    assert token
    r = await client.post("/login", data={"username": f"bench-reviewer-{i}", "password": PASSWORD,
                                          "csrf_token": token.group(1)})
    if r.status_code != 303:
        raise SystemExit(f"login failed for bench-reviewer-{i}: {r.status_code}")
    return client


async def user_loop(client: httpx.AsyncClient, top_case: int, until: float, rng: random.Random,
                    samples: dict[str, list[float]], errors: dict[str, int], think: float) -> None:
    if think:  # users arrive spread over one think period, not as one synchronised burst
        await asyncio.sleep(rng.uniform(0, 2 * think))
    while time.perf_counter() < until:
        params: dict[str, str] = {}
        if rng.random() < 1 / 3:
            params.update(rng.choice(FILTERS))
        if rng.random() < 0.2:
            params["page"] = str(rng.randint(2, 20))
        for kind, path, query in (("queue", "/queue", params),
                                  ("case", f"/cases/{rng.randint(1, top_case)}", {})):
            t0 = time.perf_counter()
            try:
                r = await client.get(path, params=query)
                problem = None if r.status_code == 200 else f"HTTP {r.status_code}"
                timing = r.headers.get("server-timing", "")
                if timing.startswith("app;dur="):
                    server_side[kind].append(float(timing[8:]))
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            elapsed_ms = (time.perf_counter() - t0) * 1000
            samples[kind].append(elapsed_ms)
            variant = kind if kind == "case" else "queue " + ("&".join(sorted(query)) or "(default)")
            by_variant[variant].append(elapsed_ms)
            if problem:
                errors[kind] += 1
                kinds_of_error[f"{kind}: {problem}"] += 1
            if think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


kinds_of_error: dict[str, int] = defaultdict(int)
by_variant: dict[str, list[float]] = defaultdict(list)
server_side: dict[str, list[float]] = defaultdict(list)


async def run(url: str, users: int, seconds: float, port: int | None, think: float, workers: int,
              warmup: float) -> None:
    top = ensure_users(url, users)
    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    proc = start_server(url, port, workers)
    try:
        await wait_up(base, proc)
        await asyncio.sleep(warmup)  # the server's start-up priority check runs first
        clients = [await login(base, i) for i in range(users)]
        samples: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        rng = random.Random(11)
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(user_loop(c, top, until, random.Random(rng.random()), samples, errors, think)
                               for c in clients))
        elapsed = time.perf_counter() - started
        for c in clients:
            await c.aclose()
    finally:
        proc.terminate()
        proc.wait(30)
    backend = url.split(":", 1)[0]
    print(f"backend {backend}, {users} concurrent users, think time {think:g} s (±50%), {workers} server "
          f"process(es), {elapsed:.0f} s, {top:,} cases")
    everything = [v for vs in samples.values() for v in vs]
    for kind, values in [*sorted(samples.items()), ("all", everything)]:
        n_err = sum(errors.values()) if kind == "all" else errors[kind]
        print(f"{kind:>6}: n={len(values):6d}  {len(values) / elapsed:6.1f} req/s  p50={pct(values, 50):7.1f} ms  "
              f"p95={pct(values, 95):7.1f} ms  p99={pct(values, 99):7.1f} ms  mean={statistics.fmean(values):7.1f} ms"
              f"  errors={n_err}")
    for kind, values in sorted(server_side.items()):
        print(f"{kind:>6} inside the app (Server-Timing): p50={pct(values, 50):7.1f} ms  p95={pct(values, 95):7.1f} ms"
              f"  p99={pct(values, 99):7.1f} ms")
    for variant, values in sorted(by_variant.items()):
        print(f"    {variant:>28}: n={len(values):5d}  p50={pct(values, 50):7.1f}  p95={pct(values, 95):7.1f} ms")
    for what, n in sorted(kinds_of_error.items()):
        print(f"  error {what}: {n}")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="sqlite:///var/bench/ui.db")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int)
    parser.add_argument("--think", type=float, default=0.0,
                        help="Mean pause of a user after each request, in seconds (0: closed loop, saturation).")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    parser.add_argument("--warmup", type=float, default=5.0, help="Seconds to wait after the server started.")
    args = parser.parse_args()
    asyncio.run(run(args.url, args.users, args.seconds, args.port, args.think, args.workers, args.warmup))


if __name__ == "__main__":
    main()
