"""Crawl throughput: records stored per second, end to end through Scrapy, pipelines and the database.

Usage (from the repository root)::

    python -m bench.crawl [--db sqlite|postgres|both] [--employees 40] [--statuses 200] [--no-bluesky]

1. Mastodon: ``scrapy crawl mastodon`` against the synthetic Mastodon-API server
   (:mod:`testservers.synthetic_mastodon`, loopback) into a fresh SQLite file and a fresh PostgreSQL
   database (``scripts/pg-local.sh``). Both directions: employee timelines (posts, boosts, replies with
   their parents fetched, quotes) and campaign statuses' favourited_by / reblogged_by / context.
2. YouTube, X and Facebook: ``scrapy crawl youtube|x|facebook`` against the project's replay server
   (:mod:`testservers.replay`, the documented API shapes, loopback): campaign uploads / tweets / Page posts
   and the comments, retweets, quotes and replies of registered employees (X's 15-minute request window
   lifted: the bench measures netral, not X's quota).
3. Bluesky: ``scrapy crawl bluesky`` against the real local AT Protocol network (PLC + PDS + AppView,
   installed by ``scripts/test-setup.d/20-bsky-testnet.sh``), seeded with posts, likes and reposts.

"records" = rows stored (content items + interactions); "spider" time is Scrapy's elapsed time,
"wall" adds the crawl process's start-up (~2 s); "process CPU" is the crawl process's user + system
time (start-up included), "crawl CPU" the same from spider open to close: the fairer figures on a
shared machine, where other processes stretch every wall-clock figure. Goal: ≥ 3,000 records/s on 2 cores.
The load average is printed: other processes on the machine slow every figure but the last.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core import migrate
from core.db import make_engine
from core.models import (
    CampaignAccount,
    CandidatePair,
    ContentItem,
    CrawlRun,
    Election,
    Employee,
    Evidence,
    Interaction,
    SocialAccount,
)
from core.settings import Settings
from crawlers.runner import run_crawl
from testservers.synthetic_mastodon import SyntheticMastodon, World

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Figure:
    name: str
    records: int
    requests: int
    spider_s: float
    wall_s: float
    cpu_s: float
    crawl_cpu_s: float
    captures: int = 0  # evidence rows: one per request answered with a body (capture identity)

    def line(self) -> str:
        return (f"{self.name:<34} {self.records:>6} records {self.requests:>5} requests "
                f"{self.captures:>5} captures | "
                f"spider {self.spider_s:5.1f}s: {self.records / self.spider_s:5.0f}/s | "
                f"wall {self.wall_s:5.1f}s: {self.records / self.wall_s:5.0f}/s | "
                f"process CPU {self.cpu_s:4.1f}s: {self.records / self.cpu_s:5.0f}/CPU-s | "
                f"crawl CPU {self.crawl_cpu_s:4.1f}s: {self.records / self.crawl_cpu_s:5.0f}/CPU-s")


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:6]}.db'}"
    else:
        server = subprocess.run([str(ROOT / "scripts" / "pg-local.sh"), "start"], check=True, capture_output=True,
                                text=True).stdout.strip().splitlines()[-1]
        name = f"netral_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def register(url: str, platform: str, employees: list[str], campaigns: list[str],
             platform_ids: dict[str, str] | None = None) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        for i, handle in enumerate(employees):
            emp = Employee(employee_type="PNS", id_number=f"19800101200001{i:04d}", name=f"Pegawai {i}",
                           unit="Dinas Uji", active=True)
            emp.accounts.append(SocialAccount(platform=platform, handle=handle, active=True,
                                              platform_id=(platform_ids or {}).get(handle)))
            session.add(emp)
        election = Election(slug=f"bench-{platform}", name="Bench", region="Uji", timezone="Asia/Makassar")
        for n, handle in enumerate(campaigns, start=1):
            pair = CandidatePair(number=n, candidate=f"Calon {n}")
            pair.accounts.append(CampaignAccount(platform=platform, handle=handle))
            election.pairs.append(pair)
        session.add(election)
        session.commit()
    engine.dispose()


def measure(name: str, platform: str, url: str, workdir: Path, env: dict[str, str]) -> Figure:
    data_dir = workdir / f"data-{uuid.uuid4().hex[:6]}"
    settings = Settings(database_url=url, data_dir=data_dir)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    outcome = run_crawl(platform, settings=settings, timeout=1800,
                        env={**env, "NETRAL_DATABASE_URL": url, "NETRAL_DATA_DIR": str(data_dir),
                             "NETRAL_LOG_LEVEL": "WARNING", "NETRAL_CRAWL_BATCH_SIZE": "1000"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if outcome.status != "finished":
        raise SystemExit(f"{name}: crawl ended {outcome.status}")
    engine = make_engine(url)
    with Session(engine) as session:
        records = sum(session.scalar(select(func.count()).select_from(m)) or 0 for m in (ContentItem, Interaction))
        run = session.get(CrawlRun, outcome.run_id)
        assert run is not None
        spider_s = float(run.stats.get("elapsed_time_seconds", outcome.seconds))
        requests = int(run.stats.get("downloader/request_count", 0))
        crawl_cpu_s = float(run.stats.get("netral/cpu_seconds", 0.0)) or cpu_s
        captures = session.scalar(select(func.count()).select_from(Evidence)) or 0
    engine.dispose()
    return Figure(name, records, requests, spider_s, outcome.seconds, cpu_s, crawl_cpu_s, captures)


def bench_mastodon(dbs: list[str], employees: int, statuses: int, workdir: Path) -> list[Figure]:
    world = World(employees=employees, statuses=statuses, campaigns=4, campaign_statuses=50)
    server = SyntheticMastodon(world).start()
    figures = []
    try:
        env = {"NETRAL_MASTODON_INSTANCES": json.dumps({"mastodon.test": server.base_url}),
               "NETRAL_MASTODON_CONCURRENCY": "16", "NETRAL_MASTODON_REQUESTS_PER_SECOND": "100000"}
        for db in dbs:
            url = fresh_database(db, workdir)
            register(url, "mastodon", [f"emp{e}@mastodon.test" for e in range(employees)],
                     [f"camp{c}@mastodon.test" for c in range(world.campaigns)])
            figures.append(measure(f"mastodon (synthetic) → {db}", "mastodon", url, workdir, env))
            print(figures[-1].line(), flush=True)
    finally:
        server.stop()
    return figures


def bench_replay(dbs: list[str], employees: int, posts: int, comments: int, workdir: Path) -> list[Figure]:
    from pipelines.demo.servers import replay_env
    from testservers.replay import ReplayServer, ReplayWorld

    # Recent activity (inside the default backfill window), mostly by registered employees: the crawl
    # stores only what registered accounts did, so strangers' comments would be fetched and dropped.
    start = datetime.now(UTC) - timedelta(days=12)
    world = ReplayWorld.generate(seed=3, campaigns=3, employees=employees, posts_per_campaign=posts,
                                 comments_per_post=comments, start=start)
    world.x.rate_limit = 10**9
    people = {p.name: p.id for p in world.facebook.profiles.values()}
    handles = [f"pegawai{i}" for i in range(1, employees + 1)]
    campaigns = [f"paslon{c}" for c in range(1, 4)]
    figures = []
    with ReplayServer(world) as server:
        env = replay_env(server, fast=False)
        for platform in ("youtube", "x", "facebook"):
            env[f"NETRAL_{platform.upper()}_CONCURRENCY"] = "16"
            env[f"NETRAL_{platform.upper()}_REQUESTS_PER_SECOND"] = "100000"
        for platform in ("youtube", "x", "facebook"):
            ids = {h: people[f"Pegawai {i}"] for i, h in enumerate(handles, start=1)} if platform == "facebook" else {}
            for db in dbs:
                url = fresh_database(db, workdir)
                register(url, platform, handles, campaigns, ids)
                figures.append(measure(f"{platform} (replay) → {db}", platform, url, workdir, env))
                print(figures[-1].line(), flush=True)
    return figures


def bench_bluesky(dbs: list[str], workdir: Path, per_kind: int = 60) -> list[Figure]:
    sys.path.insert(0, str(ROOT))
    from testservers.atproto_network.bluesky import Network, installed

    if not installed():
        print("bluesky: local network not installed (scripts/test-setup.d/20-bsky-testnet.sh); skipped")
        return []
    pg = subprocess.run([str(ROOT / "scripts" / "pg-local.sh"), "start"], check=True, capture_output=True,
                        text=True).stdout.strip().splitlines()[-1]
    net = Network(workdir, pg)
    net.start()
    figures = []
    try:
        tag = uuid.uuid4().hex[:5]
        camps = [net.account(f"bc{tag}{c}") for c in range(2)]
        emps = [net.account(f"be{tag}{e}") for e in range(3)]
        started = time.monotonic()
        camp_posts = [net.post(camps[i % 2], f"Kampanye {i}: ayo pilih nomor {i % 2 + 1}") for i in range(per_kind)]
        for e in emps:
            for i, ref in enumerate(camp_posts):
                net.like(e, ref)
                if i % 2 == 0:
                    net.repost(e, ref)
                if i % 3 == 0:
                    net.post(e, f"Setuju {i}", reply_to=ref)
        for ref in camp_posts[-3:]:
            net.wait_counts(ref, likes=len(emps))
        print(f"bluesky: seeded {len(camp_posts)} campaign posts and their engagement in "
              f"{time.monotonic() - started:.0f}s", flush=True)
        for db in dbs:
            url = fresh_database(db, workdir)
            register(url, "bluesky", [e.handle for e in emps], [c.handle for c in camps])
            figures.append(measure(f"bluesky (local network) → {db}", "bluesky", url, workdir, net.crawl_env()))
            print(figures[-1].line(), flush=True)
    finally:
        net.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Crawl throughput benchmark")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--employees", type=int, default=40)
    parser.add_argument("--statuses", type=int, default=200)
    parser.add_argument("--posts", type=int, default=40, help="replay: posts per campaign account (3 accounts)")
    parser.add_argument("--comments", type=int, default=60, help="replay: comments/reactions per post")
    parser.add_argument("--only", choices=["mastodon", "replay", "bluesky"], action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--no-bluesky", action="store_true")
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="netral-bench-crawl-") as tmp:
        workdir = Path(tmp)
        only = set(args.only or ["mastodon", "replay", "bluesky"]) - ({"bluesky"} if args.no_bluesky else set())
        figures = []
        if "mastodon" in only:
            figures += bench_mastodon(dbs, args.employees, args.statuses, workdir)
        if "replay" in only:
            figures += bench_replay(dbs, args.employees, args.posts, args.comments, workdir)
        if "bluesky" in only:
            figures += bench_bluesky(dbs, workdir)
    print(f"\n== crawl throughput (goal ≥ 3,000 records/s); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs ==")
    for fig in figures:
        print(fig.line())


if __name__ == "__main__":
    main()
