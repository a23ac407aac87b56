"""Benchmark: the nightly scan of a synthetic regency, end to end, on the replay server.

    .venv/bin/python bench/scan/run.py                 # 6,000 employees, 9,000 accounts, ~200,000 items
    .venv/bin/python bench/scan/run.py --scale 0.1     # a tenth of that, for a quick look
    .venv/bin/python bench/scan/run.py --database-url postgresql+psycopg://...   # on PostgreSQL

It builds the regency (roster through the real import; a Pilkada of two contests, a governor race of
two pairs and a regent race of three, with replay accounts), a replay world in which employees post,
comment on and retweet campaign content, then runs the `nightly-scan` flow in-process (ephemeral
Prefect) and prints the wall time, the time per stage (crawl, classify, assess + cases), the share
spent in orchestration (everything else), the cases (one per person) and incidents per contest, and
how often each account's timeline was fetched.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PLATFORMS = ["youtube", "x", "facebook"]
WORDS_NEUTRAL = ["Ayo ke TPS tanggal 27 November, gunakan hak pilihmu.", "Rapat koordinasi pelayanan publik hari ini.",
                 "Selamat pagi rekan kerja, semangat bekerja!", "Nonton bareng sepak bola di balai desa.",
                 "Pengajian rutin malam Jumat di masjid kompleks."]
WORDS_CAMPAIGN = ["Ayo coblos nomor {n}, {a} pasti menang!", "Dukung {a} nomor urut {n} untuk Sungai Tenang maju!",
                  "Salam {n} jari, menangkan {a}!"]


def build(scale: float, workdir: Path):  # type: ignore[no-untyped-def]
    from testservers.replay.world import ReplayWorld

    rng = random.Random(42)
    n_emp = int(6000 * scale)
    world = ReplayWorld(seed=1)
    yt, xw, fb = world.youtube, world.x, world.facebook
    # Measure netral, not X's quota: the replay's realistic 900-requests-per-15-minutes window would make
    # 3,000 X accounts wait for two windows (the spider waits for the reset, as it must in production).
    xw.rate_limit = 10**9
    rows, fb_ids = [], {}
    platform_cycle = ["youtube", "x", "facebook"]
    for i in range(n_emp):
        accounts = {p: "" for p in PLATFORMS}
        for p in ([platform_cycle[i % 3]] + ([platform_cycle[(i + 1) % 3]] if i % 2 == 0 else [])):
            accounts[p] = f"peg{i:05d}{p[0]}"
        rows.append({"NIP": f"THL-{i:06d}",
                     "Nama": f"Pegawai {i}", "Unit Kerja": f"Dinas {i % 40}", "Jabatan": "Staf",
                     "Jenis Pegawai": "Honorer", "YouTube": accounts["youtube"], "X": accounts["x"],
                     "Facebook": accounts["facebook"]})
    roster = workdir / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    t0 = datetime(2024, 10, 1, 8, tzinfo=UTC)
    camp = {"youtube": [], "x": [], "facebook": []}  # type: ignore[var-annotated]
    for acro in ("HADE", "BASLA", "YOSSI", "GURO", "ILMA"):
        camp["youtube"].append(yt.add_channel(f"kanal{acro.lower()}", f"{acro} Resmi"))
        camp["x"].append(xw.add_user(f"{acro.lower()}_resmi", f"{acro} Resmi"))
        camp["facebook"].append(fb.add_page(f"halaman{acro.lower()}", f"{acro} Resmi"))
    emp_yt = [yt.add_channel(r["YouTube"], "@" + r["YouTube"]) for r in rows if r["YouTube"]]
    emp_x = [xw.add_user(r["X"]) for r in rows if r["X"]]
    emp_fb = []
    for r in rows:
        if r["Facebook"]:
            person = fb.add_person(r["Nama"])
            fb_ids[r["Facebook"]] = person.id
            emp_fb.append(person)
    items = 0
    per = max(1, int(40 * scale))
    # Two contests: the regent race (three pairs) and the governor race (two pairs). The world keeps the
    # one-contest benchmark's size (3 x `per` campaign items per platform, the same interactions per
    # employee), split over both contests, so the incident count is comparable with the old case count.
    def pair_of(i: int, k: int) -> tuple[int, str]:
        return (1 + k % 2, ("GURO", "ILMA")[k % 2]) if k % 3 == 1 else (i + 1, ("HADE", "BASLA", "YOSSI")[i])

    def campaign_text(i: int, k: int) -> str:
        n, a = pair_of(i, k)
        return WORDS_CAMPAIGN[k % 3].format(n=n, a=a)

    def owner(kind: str, i: int, k: int):  # type: ignore[no-untyped-def]
        return camp[kind][3 + k % 2] if k % 3 == 1 else camp[kind][i]

    videos = [yt.add_video(owner("youtube", i, k), f"Video {k}", t0 + timedelta(hours=k), campaign_text(i, k))
              for i in range(3) for k in range(per)]
    posts = [fb.add_post(owner("facebook", i, k), campaign_text(i, k), t0 + timedelta(hours=k))
             for i in range(3) for k in range(per)]
    tweets = [xw.add_tweet(owner("x", i, k), campaign_text(i, k), t0 + timedelta(hours=k))
              for i in range(3) for k in range(per)]
    items += len(videos) + len(posts) + len(tweets)
    for k, ch in enumerate(emp_yt):
        for j in range(22):
            v = videos[(k + j) % len(videos)]
            text = rng.choice(WORDS_NEUTRAL) if j % 4 else WORDS_CAMPAIGN[j % 3].format(n=1, a="HADE")
            yt.add_comment(v, ch, text, v.published_at + timedelta(minutes=j + 1))
            items += 2
    for k, u in enumerate(emp_x):
        for j in range(10):
            xw.add_tweet(u, rng.choice(WORDS_NEUTRAL), t0 + timedelta(days=j % 20, minutes=k % 600))
            items += 1
        for j in range(4):
            t = tweets[(k + j) % len(tweets)]
            xw.add_tweet(u, "", t.created_at + timedelta(minutes=j + 1), ref=("retweeted", t.id))
            items += 2
    for k, person in enumerate(emp_fb):
        for j in range(22):
            post = posts[(k + j) % len(posts)]
            fb.add_comment(post, person, rng.choice(WORDS_NEUTRAL), post.created_time + timedelta(minutes=j + 1))
            items += 2
    election = workdir / "election.yaml"
    election.write_text("""election:
  id: bench-2024
  name: Pilkada Benchmark 2024
  region: Kabupaten Benchmark
  timezone: Asia/Makassar
  calendar:
    candidates_fixed: 2024-09-22
    campaign: {start: 2024-09-25, end: 2024-11-23}
    quiet: {start: 2024-11-24, end: 2024-11-26}
    voting: 2024-11-27
contests:
  - id: pilgub-bench-2024
    kind: pilgub
    name: Pemilihan Gubernur Benchmark 2024
    pairs:
      - {number: 1, candidate: Gunawan Tirtakusuma, aliases: [GURO], hashtags: ["#GUROMenang"],
         accounts: {youtube: ["@kanalguro"], x: [guro_resmi], facebook: [halamanguro]}}
      - {number: 2, candidate: Ilham Pranajaya, aliases: [ILMA], hashtags: ["#ILMAJuara"],
         accounts: {youtube: ["@kanalilma"], x: [ilma_resmi], facebook: [halamanilma]}}
  - id: pilbup-bench-2024
    kind: pilbup
    name: Pemilihan Bupati Benchmark 2024
    pairs:
      - {number: 1, candidate: Harun Sasmitaloka, aliases: [HADE], hashtags: ["#HADEMenang"],
         accounts: {youtube: ["@kanalhade"], x: [hade_resmi], facebook: [halamanhade]}}
      - {number: 2, candidate: Baskara Wirapraja, aliases: [BASLA], hashtags: ["#BASLABerkah"],
         accounts: {youtube: ["@kanalbasla"], x: [basla_resmi], facebook: [halamanbasla]}}
      - {number: 3, candidate: Yosef Tanamera, aliases: [YOSSI], hashtags: ["#YOSSIMenang"],
         accounts: {youtube: ["@kanalyossi"], x: [yossi_resmi], facebook: [halamanyossi]}}
""", encoding="utf-8")
    n_accounts = sum(1 for r in rows for p in PLATFORMS
                     if r[{"youtube": "YouTube", "x": "X", "facebook": "Facebook"}[p]])
    return world, roster, election, fb_ids, n_emp, n_accounts, items


def _account_fetches(requests: list) -> dict[str, tuple[int, int]]:  # type: ignore[type-arg]
    """Per platform: how many accounts had their timeline's first page fetched, and the most times one was."""
    from collections import Counter
    from urllib.parse import parse_qs, urlsplit

    seen: dict[str, Counter[str]] = {"x timelines": Counter(), "youtube channels": Counter(),
                                     "facebook page feeds": Counter()}
    for r in requests:
        url = urlsplit(r.path)
        query = parse_qs(url.query)
        if r.route == "x.users.tweets" and "pagination_token" not in query:
            seen["x timelines"][url.path] += 1
        elif r.route == "youtube.channels":
            seen["youtube channels"][str(sorted(query.get("forHandle", []) + query.get("id", [])))] += 1
        elif r.route == "facebook.feed" and "after" not in query:
            seen["facebook page feeds"][url.path] += 1
    return {k: (len(c), max(c.values(), default=0)) for k, c in seen.items()}


def _case_counts(session) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from core.models import Case, Incident

    cases = session.scalar(select(func.count()).select_from(Case)) or 0
    persons = session.scalar(select(func.count(func.distinct(Case.employee_id)))) or 0
    incidents = session.scalar(select(func.count()).select_from(Incident)) or 0
    by_contest = dict(session.execute(select(Incident.contest, func.count(Incident.id))
                                      .group_by(Incident.contest)).all())
    per_case = (select(Incident.case_id).group_by(Incident.case_id)
                .having(func.count(func.distinct(Incident.contest)) > 1).subquery())
    both = session.scalar(select(func.count()).select_from(per_case)) or 0
    return {"cases": cases, "persons": persons, "incidents": incidents, "by_contest": by_contest, "both": both}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="netral-bench-scan-"))
    os.environ.setdefault("NETRAL_DATA_DIR", str(workdir / "var"))
    if args.database_url:
        os.environ["NETRAL_DATABASE_URL"] = args.database_url
    os.environ.update({"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "NETRAL_LOG_LEVEL": "WARNING"})

    from core import migrate
    from core.db import session_scope
    from core.registry.election_import import import_election
    from core.registry.roster_import import import_roster
    from core.settings import get_settings, reset_settings
    from pipelines.cli.runtime import Runtime
    from pipelines.demo.servers import replay_env, set_platform_ids
    from pipelines.prefect_env import configure_prefect
    from testservers.replay.server import ReplayServer

    t_build = time.perf_counter()
    world, roster, election, fb_ids, n_emp, n_acc, n_items = build(args.scale, workdir)
    settings = get_settings()
    migrate.upgrade_url(settings.resolved_database_url)
    rt = Runtime(settings)
    with session_scope(rt.sessions) as session:
        import_election(session, election)
        import_roster(session, roster)
        set_platform_ids(session, "facebook", fb_ids)
    print(f"regency: {n_emp} employees, {n_acc} accounts, ~{n_items} items in the replay world "
          f"(set-up {time.perf_counter() - t_build:.1f}s, database {settings.resolved_database_url.split(':')[0]})")
    configure_prefect(settings)
    with ReplayServer(world) as server:
        os.environ.update(replay_env(server))
        os.environ["NETRAL_CRAWL_TIMEOUT_SECONDS"] = "60"
        reset_settings()
        from pipelines import stages as stages_mod
        from pipelines.scan import nightly_scan

        timings: dict[str, float] = {}
        original = {name: getattr(stages_mod.Stages, name) for name in ("crawl", "classify", "assess")}

        def timed(name: str):  # type: ignore[no-untyped-def]
            def wrapper(self, *a, **kw):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                try:
                    return original[name](self, *a, **kw)
                finally:
                    timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
            return wrapper

        for name in original:
            setattr(stages_mod.Stages, name, timed(name))
        t0 = time.perf_counter()
        result = nightly_scan(election="bench-2024", platforms=PLATFORMS, shards=args.shards, since="2024-09-01")
        wall = time.perf_counter() - t0
        fetches = _account_fetches(server.requests)
    stored = sum(p["items"] for p in result["platforms"].values())
    crawl_wall = max(p["seconds"] for p in result["platforms"].values())
    crawl_sum = timings.get("crawl", 0.0)
    print(f"wall time: {wall:.1f}s for {stored} stored records ({stored / wall:.0f} records/s end to end)")
    print(f"  crawl:    {crawl_sum:.1f}s summed over {len(PLATFORMS) * args.shards} shard(s) "
          f"(slowest shard {crawl_wall:.1f}s)")
    print(f"  classify: {timings.get('classify', 0):.1f}s ({result['classified']} items, "
          f"{result['classified'] / max(timings.get('classify', 1e-9), 1e-9):.0f}/s)")
    print(f"  assess + cases: {timings.get('assess', 0):.1f}s ({result['assessed']} interactions, "
          f"{len(result['new_cases'])} cases)")
    stage_wall = crawl_wall + timings.get("classify", 0) + timings.get("assess", 0)
    print(f"  orchestration and the rest: {max(wall - stage_wall, 0):.1f}s "
          f"({max(wall - stage_wall, 0) / wall:.0%} of the wall time)")
    with session_scope(rt.sessions) as session:
        counts = _case_counts(session)
    print(f"cases: {counts['cases']} for {counts['persons']} employees with a flag "
          f"({'<=' if counts['cases'] <= counts['persons'] else '>'} persons); incidents: {counts['incidents']} "
          f"(contests: {counts['by_contest']}); cases spanning both contests: {counts['both']}")
    for kind, (accounts, most) in fetches.items():
        print(f"  {kind}: {accounts} accounts fetched, at most {most} time(s) each")
    print(f"goal: <= 600s on 2 cores -> {'met' if wall <= 600 else 'NOT met'}")


if __name__ == "__main__":
    main()
