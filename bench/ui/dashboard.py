"""Dashboard latency at scale: GET /dashboard (unfiltered and with each filter) in-process, N times each.

``python -m bench.ui.dashboard --url sqlite:////tmp/netral-bench/ui.db`` on the database ``bench.ui.generate``
built (100,000 cases). Prints p50 / p95 / max per variant; the goal is ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

from fastapi.testclient import TestClient

from bench.ui.load import PASSWORD, ensure_users
from core.settings import get_settings, reset_settings
from review_ui.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
VARIANTS = {"all": {}, "period": {"since": "2024-10-01", "until": "2024-10-31"}, "unit": {"unit": "Dinas 07"},
            "election": {"election": "1"}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ["NETRAL_DATABASE_URL"] = args.url
    reset_settings()
    ensure_users(args.url, 1)
    app = create_app(get_settings(), refresh_priorities=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = TOKEN.search(client.get("/login").text)
        assert token
        client.post("/login", data={"username": "bench-reviewer-0", "password": PASSWORD,
                                    "csrf_token": token.group(1)})
        for name, params in VARIANTS.items():
            client.get("/dashboard", params=params)  # warm
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                r = client.get("/dashboard", params=params)
                times.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, r.status_code
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"{name:9s} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  max {times[-1]:7.1f} ms")


if __name__ == "__main__":
    main()
