"""Fill a database with a realistic review workload: 100,000 cases over 1,000,000 interactions.

Usage::

    python -m bench.ui.generate --url sqlite:///var/bench/ui.db            # default sizes
    python -m bench.ui.generate --url postgresql+psycopg://.../netral_bench --cases 100000 --interactions 1000000

The schema is built by the migrations; rows go in with Core ``insert`` + executemany in batches (SQLAlchemy
turns them into multi-row VALUES on both backends), so 1M interactions take tens of seconds, not hours.
Every case links all the interactions of its employee's account on its target (10 on average).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select

from core import migrate
from core.db import make_engine
from core.models import Case, CaseInteraction, ContentItem, Election, Employee, Interaction, SocialAccount

PLATFORMS = ["bluesky", "mastodon", "youtube", "x", "facebook"]
CODE_SETS = [["KE-4", "HD-6"], ["KE-2", "HD-2"], ["KE-5", "HD-7"], ["KE-4"], ["HD-8"], ["KE-3", "HD-4"]]
KINDS = ["like", "share", "comment", "quote", "like", "like"]
BATCH = 10_000


def _batched(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), BATCH):
            conn.execute(insert(table), rows[i:i + BATCH])


def generate(url: str, n_cases: int, n_interactions: int, seed: int = 7) -> dict[str, float]:
    """Create the rows; returns timings per table."""
    rng = random.Random(seed)
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Case)):
            raise SystemExit(f"{url} already holds cases; use a fresh database")
    timings: dict[str, float] = {}
    now = datetime.now(UTC)
    n_emp = max(10, n_cases // 20)
    n_targets = max(10, n_cases // 5)
    per_case = max(1, n_interactions // n_cases)

    t = time.perf_counter()
    with engine.begin() as conn:
        election_id = conn.execute(insert(Election).values(
            slug="bench-2024", name="Pilkada Bench 2024", region="Kabupaten Bench", timezone="Asia/Makassar",
            candidates_fixed=date(2024, 9, 22), calendar={}, source={}, created_at=now, updated_at=now)
            .returning(Election.id)).scalar_one()
    employees = [{"id": i + 1, "employee_type": "PNS", "id_number": f"1980010120050{i:05d}"[:18],
                  "name": f"Pegawai Bench {i}", "unit": f"Dinas {i % 40:02d}", "position": "Staf", "active": True,
                  "created_at": now, "updated_at": now} for i in range(n_emp)]
    _batched(engine, Employee.__table__, employees)
    accounts = [{"id": i + 1, "employee_id": i + 1, "platform": PLATFORMS[i % len(PLATFORMS)],
                 "handle": f"pegawai{i}.bench", "active": True, "created_at": now, "updated_at": now}
                for i in range(n_emp)]
    _batched(engine, SocialAccount.__table__, accounts)
    targets = [{"id": i + 1, "platform": PLATFORMS[i % len(PLATFORMS)], "native_id": f"bench-post-{i}",
                "kind": "post", "url": f"https://example.invalid/p/{i}", "author_handle": f"paslon{i % 3 + 1}.bench",
                "text": f"Ayo dukung paslon nomor {i % 3 + 1}! Coblos {i % 3 + 1} tanggal 27 November #{i}",
                "created_at": now - timedelta(days=rng.randint(1, 90)), "fetched_at": now, "extra": {}}
               for i in range(n_targets)]
    _batched(engine, ContentItem.__table__, targets)
    timings["roster+content"] = time.perf_counter() - t

    t = time.perf_counter()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_cases:
        emp = rng.randint(1, n_emp)
        # An account's targets are on its own platform (the index must match modulo the platform count).
        target = rng.randrange((emp - 1) % len(PLATFORMS), n_targets, len(PLATFORMS)) + 1
        pairs.add((emp, target))
    statuses = ["detected"] * 70 + ["in_triage"] * 10 + ["awaiting_second"] * 5 + ["dismissed"] * 10 + \
        ["confirmed"] * 3 + ["forwarded"] * 2
    cases: list[dict[str, Any]] = []
    for cid, (emp, target) in enumerate(sorted(pairs), start=1):
        score = round(rng.uniform(0.3, 1.0), 3)
        codes = rng.choice(CODE_SETS)
        created = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
        cases.append({"id": cid, "election_id": election_id, "employee_id": emp, "target_key": f"content:{target}",
                      "target_content_id": target, "platform": PLATFORMS[(emp - 1) % len(PLATFORMS)],
                      "status": rng.choice(statuses), "priority": round(score * 3 * rng.uniform(1, 3), 4),
                      "score": score, "pair_number": target % 3 + 1, "stance": "support", "model_version": "bench-1",
                      "candidate_codes": codes, "rule_elements": ["interaction with campaign content"],
                      "details": {"reasons": [{"kind": "ballot_number", "text": "nomor urut", "start": 18,
                                               "end": 25}]},  # "nomor N" in the target text
                      "created_at": created, "updated_at": created})
    _batched(engine, Case.__table__, cases)
    timings["cases"] = time.perf_counter() - t

    t = time.perf_counter()
    iid = 0
    interactions: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for case in cases:
        count = per_case if iid + per_case * (n_cases - case["id"] + 1) <= n_interactions else 1
        for _ in range(count):
            iid += 1
            interactions.append({"id": iid, "platform": case["platform"], "native_id": f"bench-i-{iid}",
                                 "kind": rng.choice(KINDS), "actor_account_id": case["employee_id"],
                                 "target_content_id": case["target_content_id"],
                                 "occurred_at": case["created_at"] - timedelta(hours=rng.randint(1, 200)),
                                 "fetched_at": case["created_at"]})
            links.append({"case_id": case["id"], "interaction_id": iid, "attached_at": case["created_at"]})
        if len(interactions) >= 100_000:
            _batched(engine, Interaction.__table__, interactions)
            _batched(engine, CaseInteraction.__table__, links)
            interactions, links = [], []
    _batched(engine, Interaction.__table__, interactions)
    _batched(engine, CaseInteraction.__table__, links)
    timings["interactions+links"] = time.perf_counter() - t
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            for table in ("employee", "social_account", "content_item", "case", "interaction", "case_interaction"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                     f"(SELECT max(id) FROM \"{table}\"))")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    timings["interactions"] = float(iid)
    return timings


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="sqlite:///var/bench/ui.db")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    timings = generate(args.url, args.cases, args.interactions)
    for name, value in timings.items():
        print(f"{name:>20}: {value:,.1f}" + ("" if name == "interactions" else " s"))
    print(f"{'total':>20}: {time.perf_counter() - start:,.1f} s")


if __name__ == "__main__":
    main()
