"""Benchmark: export a large desk report (1,000 confirmed cases in the annex, 200 entries) to DOCX, PDF, XLSX.

    .venv/bin/python -m bench.report                    # 1,000 cases, 200 entries, SQLite in a temp dir
    .venv/bin/python -m bench.report --cases 50 --entries 20
    .venv/bin/python -m bench.report --database-url postgresql+psycopg://...   # on an empty PostgreSQL db

The database is built by the migrations; the example regency's election comes in through the real
election import. The roster, the campaign posts, the employees' interactions and the open cases (one
incident each) are inserted as rows, spread over 12 units, three employee types, five platforms, six
code sets and every stage of the calendar, so section 9 has real aggregates. Every case is then
confirmed by two different reviewers through ``core.cases.confirm`` (four eyes), the report is written
with ``create_report``/``save_section``/``save_entry``/``add_case``, and each format is exported with
``core.reports.exporting.export`` (content built, rendered, archived and audited, as ``netral desk
export`` does). Prints the set-up times, each export's wall time and size, and whether the goal
(≤ 10 s per format) is met.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 10.0
PLATFORMS = ["bluesky", "mastodon", "youtube", "x", "facebook"]
TYPES = ["PNS", "PPPK", "Honorer"]
UNITS = ["Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum", "Sekretariat Daerah", "Kecamatan Hulu",
         "Kecamatan Hilir", "Dinas Sosial", "BKPSDM", "Dinas Perhubungan", "RSUD Sungai Tenang",
         "Dinas Pertanian", "Satpol PP"]
CODE_SETS = [["KE-4", "HD-6"], ["KE-2", "HD-2"], ["KE-5", "HD-7"], ["KE-4"], ["HD-8"], ["KE-3", "HD-4"]]
KINDS = ["like", "share", "comment", "quote", "follow"]
CONTESTS = ["pilgub-teluk-permata-2024", "pilbup-sungai-tenang-2024"]
#: First day of the spread and its length: from before the candidates are fixed to after voting day.
FIRST_DAY, DAYS = datetime(2024, 9, 10, 9, tzinfo=UTC), 90
ENTRY_TEXT = {
    "activity": "Rapat koordinasi Desk Pilkada kegiatan ke-{n}",
    "place": "Aula Kantor Bupati Sungai Tenang",
    "unit": "Badan Kesatuan Bangsa dan Politik",
    "indicators": "Peserta hadir | {n} | orang\nAnggaran terserap | 87,5 | %",
    "problems": "Data pemilih pemula belum lengkap di {n} desa; sebagian formulir =SUM(A1) diisi tangan.",
    "solutions": "Jemput bola perekaman KTP-el bersama Disdukcapil dan PPS setempat.",
    "status": "selesai",
}


@dataclass
class Built:
    """What the set-up made, and how long each part took."""

    report_id: int
    cases: int
    entries: int
    timings: dict[str, float]


def _rows(session, election, n_cases: int, rng: random.Random) -> list[int]:  # type: ignore[no-untyped-def]
    """Employees, accounts, campaign posts, interactions and one open case per employee; returns case ids."""
    from core.case_priority import summary_of
    from core.models import (
        Case,
        CaseReview,
        ContentItem,
        Employee,
        Incident,
        IncidentInteraction,
        Interaction,
        SocialAccount,
    )

    posts = []
    for i in range(max(10, n_cases // 5)):
        platform = PLATFORMS[i % len(PLATFORMS)]
        pair = i % 3 + 1
        posts.append(ContentItem(platform=platform, native_id=f"bench-post-{i}", kind="post",
                                 url=f"https://example.invalid/p/{i}", author_handle=f"paslon{pair}.bench",
                                 text=f"Ayo dukung paslon nomor urut {pair}! Coblos {pair} tanggal 27 November",
                                 created_at=FIRST_DAY + timedelta(days=i % DAYS), extra={}))
    session.add_all(posts)
    session.flush()
    ids = []
    for i in range(n_cases):
        emp = Employee(employee_type=TYPES[i % 7 % 3], id_number=f"19800101200501{i:04d}"[:18],
                       name=f"Pegawai Bench {i}", unit=UNITS[rng.randrange(len(UNITS))], position="Staf",
                       active=True)
        session.add(emp)
        session.flush()
        platform = PLATFORMS[i % len(PLATFORMS)]
        acct = SocialAccount(employee_id=emp.id, platform=platform, handle=f"pegawai{i}.bench", active=True)
        session.add(acct)
        session.flush()
        target = posts[rng.randrange(i % len(PLATFORMS), len(posts), len(PLATFORMS))]
        when = FIRST_DAY + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(10))
        inter = Interaction(platform=platform, native_id=f"bench-i-{i}", kind=KINDS[rng.randrange(len(KINDS))],
                            actor_account_id=acct.id, target_content_id=target.id, occurred_at=when, fetched_at=when)
        session.add(inter)
        codes = CODE_SETS[rng.randrange(len(CODE_SETS))]
        case = Case(election_id=election.id, employee_id=emp.id, sequence=1, status="detected", priority=0.8,
                    score=0.9, candidate_codes=codes, details={}, created_at=when + timedelta(hours=6))
        session.add(case)
        session.flush()
        session.add(CaseReview(case_id=case.id, escalated=False))
        pair = int(target.author_handle[6]) if target.author_handle else 1
        incident = Incident(case_id=case.id, target_key=f"content:{target.id}", target_content_id=target.id,
                            platform=platform, contest=CONTESTS[pair % 2], pair_number=pair, stance="support",
                            score=0.9, priority=0.8, model_version="bench-1", candidate_codes=codes,
                            rule_elements=["interaction with campaign content"], details={}, supplementary=False,
                            created_at=case.created_at)
        session.add(incident)
        session.flush()
        session.add(IncidentInteraction(incident_id=incident.id, interaction_id=inter.id))
        case.summary = summary_of([incident])
        ids.append(case.id)
    session.flush()
    return ids


def build(sessions, settings, n_cases: int, n_entries: int) -> Built:  # type: ignore[no-untyped-def]
    """The regency, its confirmed cases (two reviewers each) and a draft report holding them all."""
    from core import accounts, cases
    from core.db import session_scope
    from core.models import Case, Election
    from core.registry.election_import import import_election
    from core.reports import editing
    from core.reports.sections import NEUTRALITY, TITLES

    rng = random.Random(9)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    with session_scope(sessions) as session:
        slug = import_election(session, ROOT / "examples" / "election.yaml", actor="bench").slug
        accounts.create_user(session, "rina", "reviewer", "bench-password-rina-1", "Rina Wulandari")
        accounts.create_user(session, "budi", "reviewer", "bench-password-budi-1", "Budi Santoso")
        election = session.query(Election).filter_by(slug=slug).one()
        ids = _rows(session, election, n_cases, rng)
    timings["rows"] = time.perf_counter() - t

    t = time.perf_counter()
    for start in range(0, len(ids), 100):  # one transaction per 100 cases, as a reviewer's session commits
        with session_scope(sessions) as session:
            rina, budi = accounts.get_user(session, "rina"), accounts.get_user(session, "budi")
            for cid in ids[start:start + 100]:
                case = session.get_one(Case, cid)
                cases.confirm(session, case, rina, settings, note="menyukai unggahan kampanye",
                              version=case.version)
                cases.confirm(session, case, budi, settings, version=case.version)
    timings["confirm (2 looks each)"] = time.perf_counter() - t

    t = time.perf_counter()
    with session_scope(sessions) as session:
        election = session.query(Election).filter_by(slug=slug).one()
        report = editing.create_report(session, election, "Laporan Evaluasi Desk Pilkada Sungai Tenang 2024",
                                       "2024-08-27", "2024-12-16", "bench", chair_name="Drs. Hendra Saputra",
                                       chair_nip="197001011995031001", sign_place="Sungai Tenang")
        editable = [n for n in TITLES if n != NEUTRALITY]
        for number in editable:
            sec = editing.section(report, number)
            editing.save_section(session, report, number, f"Uraian bagian {number}: " + "Kegiatan berjalan "
                                 "sesuai jadwal tahapan dan koordinasi lintas perangkat daerah. " * 6,
                                 sec.version, "bench")
        for n in range(n_entries):
            form = {k: v.format(n=n + 1) for k, v in ENTRY_TEXT.items()}
            form["on_date"] = (FIRST_DAY + timedelta(days=n % DAYS)).date().isoformat()
            editing.save_entry(session, report, editable[n % len(editable)], None, editing.parse_entry(form),
                               None, "bench")
        session.expire(report, ["sections"])
        for cid in ids:
            editing.add_case(session, report, cid, "bench")
        report_id = report.id
    timings["report (sections, entries, annex)"] = time.perf_counter() - t
    return Built(report_id, len(ids), n_entries, timings)


def export_all(sessions, settings, report_id: int, outdir: Path) -> dict[str, tuple[float, int]]:  # type: ignore[no-untyped-def]
    """Export each format once, as the CLI does (one transaction each); returns seconds and bytes."""
    from core.db import session_scope
    from core.reports import editing, exporting

    out = {}
    for fmt in ("docx", "pdf", "xlsx"):
        t = time.perf_counter()
        with session_scope(sessions) as session:
            report = editing.get_report(session, report_id)
            file = exporting.export(session, settings, report, fmt, "bench", "admin")
        out[fmt] = (time.perf_counter() - t, len(file.data))
        (outdir / f"report.{fmt}").write_bytes(file.data)
    return out


def main(argv: list[str] | None = None) -> dict[str, tuple[float, int]]:
    """Build, export, print; returns ``{format: (seconds, bytes)}`` (the test calls it at a tiny size)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="an empty database (default: SQLite in a temp dir)")
    parser.add_argument("--data-dir", type=Path, default=None, help="data directory (default: in the temp dir)")
    parser.add_argument("--out", type=Path, default=None, help="directory for the exported files")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="netral-bench-report-"))
    os.environ["NETRAL_DATA_DIR"] = str(args.data_dir or workdir / "var")
    os.environ["NETRAL_DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'report.db'}"
    os.environ.setdefault("NETRAL_LOG_LEVEL", "WARNING")

    from core import migrate
    from core.db import engine_from_settings, make_session_factory
    from core.settings import get_settings, reset_settings

    reset_settings()
    settings = get_settings()
    t = time.perf_counter()
    migrate.upgrade_url(settings.resolved_database_url)
    engine = engine_from_settings(settings)
    sessions = make_session_factory(engine)
    print(f"database: {settings.resolved_database_url.split(':')[0]}, migrated in {time.perf_counter() - t:.1f}s")
    built = build(sessions, settings, args.cases, args.entries)
    for name, seconds in built.timings.items():
        print(f"  set-up {name}: {seconds:.1f}s")
    outdir = args.out or workdir
    outdir.mkdir(parents=True, exist_ok=True)
    results = export_all(sessions, settings, built.report_id, outdir)
    engine.dispose()
    print(f"report #{built.report_id}: {built.cases} confirmed cases in the annex, {built.entries} entries")
    for fmt, (seconds, size) in results.items():
        print(f"  {fmt}: {seconds:.2f}s, {size / 1024:.0f} KiB")
    worst = max(s for s, _ in results.values())
    print(f"goal: each export <= {GOAL_SECONDS:.0f}s -> {'met' if worst <= GOAL_SECONDS else 'NOT met'} "
          f"(slowest {worst:.2f}s); files in {outdir}")
    return results


if __name__ == "__main__":
    main()
