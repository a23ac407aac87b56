"""Fill a database with a realistic review workload: 100,000 incidents in 6,000 cases (one per person).

Usage::

    python -m bench.ui.generate --url sqlite:///var/bench/ui.db            # default sizes
    python -m bench.ui.generate --url postgresql+psycopg://.../netral_bench --cases 6000 --incidents 100000

A Pilkada of two contests (governor and regent); 6,000 employees, each with one case holding a skewed
number of incidents (most hold a few, some dozens), each incident one target of the employee's platform
with one to three interactions. Case statuses follow a triage mix; the incidents' outcomes agree with
them. The schema is built by the migrations; rows go in with Core ``insert`` + executemany in batches.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Engine, func, insert, select

from core import migrate
from core.case_priority import summary_of
from core.db import make_engine
from core.models import (
    Case,
    CaseReview,
    ContentItem,
    Contest,
    Election,
    Employee,
    Incident,
    IncidentInteraction,
    Interaction,
    SocialAccount,
)

PLATFORMS = ["bluesky", "mastodon", "youtube", "x", "facebook"]
CODE_SETS = [["KE-4", "HD-6"], ["KE-2", "HD-2"], ["KE-5", "HD-7"], ["KE-4"], ["HD-8"], ["KE-3", "HD-4"]]
KINDS = ["like", "share", "comment", "quote", "like", "like"]
CONTESTS = ["pilgub-bench-2024", "pilbup-bench-2024"]
BATCH = 10_000
OPEN = ("detected", "in_triage", "awaiting_second")


def _batched(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), BATCH):
            conn.execute(insert(table), rows[i:i + BATCH])


MAX_PER_CASE = 300  # a person who touched 300 campaign posts; the Pareto tail would give thousands


def _sizes(rng: random.Random, n_cases: int, n_incidents: int) -> list[int]:
    """Incidents per case: skewed (Pareto), 1 to :data:`MAX_PER_CASE` each, summing to ``n_incidents``."""
    weights = [rng.paretovariate(1.5) for _ in range(n_cases)]
    total = sum(weights)
    sizes = [min(MAX_PER_CASE, max(1, int(w / total * n_incidents))) for w in weights]
    i = 0
    while sum(sizes) < n_incidents:
        if sizes[i % n_cases] < MAX_PER_CASE:
            sizes[i % n_cases] += 1
        i += 1
    while sum(sizes) > n_incidents:
        j = max(range(n_cases), key=lambda k: sizes[k])
        sizes[j] -= 1
    return sizes


def _outcome(status: str, rng: random.Random) -> str | None:
    if status in OPEN:
        return None
    if status == "dismissed":
        return "not_proven"
    return "proven" if rng.random() < 0.7 else "not_proven"


def generate(url: str, n_cases: int, n_incidents: int, seed: int = 7) -> dict[str, float]:
    """Create the rows; returns timings per table."""
    rng = random.Random(seed)
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Case)):
            raise SystemExit(f"{url} already holds cases; use a fresh database")
    timings: dict[str, float] = {}
    now = datetime.now(UTC)
    n_emp = n_cases
    n_targets = max(10, n_incidents // 5)

    t = time.perf_counter()
    with engine.begin() as conn:
        election_id = conn.execute(insert(Election).values(
            slug="bench-2024", name="Pilkada Bench 2024", region="Kabupaten Bench", timezone="Asia/Makassar",
            candidates_fixed=date(2024, 9, 22), calendar={}, source={}, active=True, created_at=now,
            updated_at=now).returning(Election.id)).scalar_one()
        for position, slug in enumerate(CONTESTS):
            conn.execute(insert(Contest).values(election_id=election_id, slug=slug, kind=slug[:6], name=slug,
                                                position=position, created_at=now, updated_at=now))
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
    statuses = ["detected"] * 55 + ["in_triage"] * 15 + ["awaiting_second"] * 5 + ["dismissed"] * 12 + \
        ["confirmed"] * 8 + ["forwarded"] * 5
    cases: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    incidents: list[dict[str, Any]] = []
    iid = 0
    for cid, size in enumerate(_sizes(rng, n_cases, n_incidents), start=1):
        status = rng.choice(statuses)
        created = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
        platform_index = (cid - 1) % len(PLATFORMS)
        chosen = rng.sample(range(platform_index, n_targets, len(PLATFORMS)), min(size, n_targets // 5))
        best, codes_all = 0.0, []
        start = len(incidents)
        for target in chosen:
            iid += 1
            score = round(rng.uniform(0.3, 1.0), 3)
            codes = rng.choice(CODE_SETS)
            best = max(best, score)
            codes_all += [c for c in codes if c not in codes_all]
            incidents.append({
                "id": iid, "case_id": cid, "target_key": f"content:{target + 1}", "target_content_id": target + 1,
                "platform": PLATFORMS[platform_index], "contest": rng.choice(CONTESTS), "pair_number": target % 3 + 1,
                "stance": "support", "score": score, "priority": score, "model_version": "bench-1",
                "candidate_codes": codes, "rule_elements": ["interaction with campaign content"],
                "details": {"reasons": [{"kind": "ballot_number", "text": "nomor urut", "start": 18, "end": 25}]},
                "outcome": _outcome(status, rng), "supplementary": False, "created_at": created,
                "updated_at": created})
        summary = summary_of([SimpleNamespace(joined_status=None, **i) for i in incidents[start:]])
        cases.append({"id": cid, "election_id": election_id, "employee_id": cid, "sequence": 1, "status": status,
                      "version": 1, "priority": round(best * 3 * rng.uniform(1, 3), 4), "score": best,
                      "candidate_codes": codes_all, "summary": summary, "details": {}, "created_at": created,
                      "updated_at": created})
        reviews.append({"case_id": cid, "escalated": False, "updated_at": created})
    _batched(engine, Case.__table__, cases)
    _batched(engine, CaseReview.__table__, reviews)
    _batched(engine, Incident.__table__, incidents)
    timings["cases+incidents"] = time.perf_counter() - t

    t = time.perf_counter()
    n_inter = 0
    interactions: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for inc in incidents:
        for _ in range(rng.choice((1, 1, 2, 3))):
            n_inter += 1
            interactions.append({"id": n_inter, "platform": inc["platform"], "native_id": f"bench-i-{n_inter}",
                                 "kind": rng.choice(KINDS), "actor_account_id": inc["case_id"],
                                 "target_content_id": inc["target_content_id"],
                                 "occurred_at": inc["created_at"] - timedelta(hours=rng.randint(1, 200)),
                                 "fetched_at": inc["created_at"]})
            links.append({"incident_id": inc["id"], "interaction_id": n_inter, "attached_at": inc["created_at"]})
        if len(interactions) >= 100_000:
            _batched(engine, Interaction.__table__, interactions)
            _batched(engine, IncidentInteraction.__table__, links)
            interactions, links = [], []
    _batched(engine, Interaction.__table__, interactions)
    _batched(engine, IncidentInteraction.__table__, links)
    timings["interactions+links"] = time.perf_counter() - t
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            for table in ("employee", "social_account", "content_item", "case", "incident", "interaction",
                          "incident_interaction"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                     f"(SELECT max(id) FROM \"{table}\"))")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    timings["incidents"] = float(iid)
    timings["interactions"] = float(n_inter)
    return timings


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="sqlite:///var/bench/ui.db")
    parser.add_argument("--cases", type=int, default=6_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    args = parser.parse_args()
    start = time.perf_counter()
    timings = generate(args.url, args.cases, args.incidents)
    for name, value in timings.items():
        print(f"{name:>20}: {value:,.1f}" + ("" if name in ("incidents", "interactions") else " s"))
    print(f"{'total':>20}: {time.perf_counter() - start:,.1f} s")


if __name__ == "__main__":
    main()
