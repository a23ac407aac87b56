"""Section 9, ASN neutrality: counts computed from the cases, never typed, never naming anyone.

Every table counts cases (persons) by one dimension — stage, violation code, platform, unit, employee
type, status — in four groups kept apart: leads not yet decided, confirmed violations, cases in due
process, dismissed cases; plus the incidents (interactions) behind them. Input rows are
:class:`core.reports.case_source.CaseRow`, which hold no name, NIP or handle, so nothing here can leak
one. A case with two codes counts once under each code (the code table's total can exceed the cases).

A Pilkada may hold several contests at once (governor and regent): the contest table counts each
person once under every contest their incidents name, with only that contest's incidents, so a person
who shared both races' content appears in both rows (the table's total can exceed the cases).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from core.reports.case_source import GROUPS, STAGES, CaseRow

GROUP_LABELS = {"leads": "Temuan awal (belum diputus)", "confirmed": "Pelanggaran terkonfirmasi",
                "due_process": "Dalam proses tindak lanjut", "dismissed": "Dihentikan"}
STAGE_LABELS = {"pre_fixed": "Sebelum penetapan pasangan calon", "pre_campaign": "Penetapan s.d. awal kampanye",
                "campaign": "Masa kampanye", "quiet": "Masa tenang", "voting": "Hari pemungutan suara",
                "after_voting": "Setelah pemungutan suara", "unknown": "Tanpa tanggal tahapan"}
TYPE_LABELS = {"PNS": "PNS", "PPPK": "PPPK", "NON_ASN": "Tenaga kontrak"}
STATUS_LABELS = {"detected": "Terdeteksi", "in_triage": "Dalam telaah", "awaiting_second": "Menunggu penelaah kedua",
                 "confirmed": "Terkonfirmasi", "dismissed": "Dihentikan", "forwarded": "Diteruskan",
                 "recommendation_received": "Rekomendasi diterima", "summoned": "Dipanggil",
                 "examination": "Pemeriksaan", "decided": "Diputus", "closed": "Ditutup"}
DIMENSIONS = (("stage", "Menurut tahapan"), ("code", "Menurut kode pelanggaran (SKB 2022)"),
              ("platform", "Menurut platform"), ("unit", "Menurut perangkat daerah"),
              ("employee_type", "Menurut jenis kepegawaian"), ("status", "Menurut status penanganan"))
NO_CONTEST = "(kontestasi tidak diketahui)"
CONTEST_TITLE = "Menurut kontestasi (pemilihan)"
COLUMNS = ["Kategori", "Temuan awal", "Terkonfirmasi", "Proses lanjut", "Dihentikan", "Kasus", "Kejadian"]


def _keys(row: CaseRow, dim: str) -> list[str]:
    if dim == "stage":
        return [STAGE_LABELS[row.stage]]
    if dim == "code":
        return list(row.codes) or ["(tanpa kode)"]
    if dim == "employee_type":
        return [TYPE_LABELS.get(row.employee_type, row.employee_type)]
    if dim == "status":
        return [STATUS_LABELS.get(row.status, row.status)]
    return [str(getattr(row, dim))]


def in_period(rows: list[CaseRow], start: date, end: date) -> list[CaseRow]:
    """The cases whose first incident falls in the report's period."""
    return [r for r in rows if start <= r.on <= end]


def _contest_keys(row: CaseRow, names: dict[str, str]) -> list[tuple[str, int]]:
    """(contest label, incidents of that contest) for a row; incidents without a contest under one label."""
    out = [(names.get(slug, slug), n) for slug, n in row.contest_incidents]
    rest = row.incidents - sum(n for _, n in row.contest_incidents)
    if rest > 0 or not out:
        out.append((NO_CONTEST, max(rest, 0)))
    return out


def table(rows: list[CaseRow], dim: str, contest_names: dict[str, str] | None = None) -> list[list[Any]]:
    """Rows ``[label, leads, confirmed, due_process, dismissed, cases, incidents]``, largest first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if dim == "contest":
            for key, n in _contest_keys(r, contest_names or {}):
                counts[key][r.group] += 1
                counts[key]["incidents"] += n
            continue
        for key in _keys(r, dim):
            counts[key][r.group] += 1
            counts[key]["incidents"] += r.incidents
    order = [STAGE_LABELS[s] for s in STAGES] if dim == "stage" else None
    out: list[list[Any]] = []
    for key, c in counts.items():
        out.append([key, *(c[g] for g in GROUPS), sum(c[g] for g in GROUPS), c["incidents"]])
    if order:
        out.sort(key=lambda x: order.index(x[0]))
    else:
        out.sort(key=lambda x: (-x[5], x[0]))
    return out


def weekly(rows: list[CaseRow]) -> list[list[Any]]:
    """``[monday ISO date, leads, confirmed, due_process, dismissed]`` for every week with a case, gaps filled."""
    if not rows:
        return []
    weeks: dict[date, Counter[str]] = defaultdict(Counter)
    for r in rows:
        weeks[r.on - timedelta(days=r.on.weekday())][r.group] += 1
    first, last = min(weeks), max(weeks)
    out = []
    day = first
    while day <= last:
        out.append([day.isoformat(), *(weeks[day][g] for g in GROUPS)])
        day += timedelta(days=7)
    return out


def compute(rows: list[CaseRow], contest_names: dict[str, str] | None = None) -> dict[str, Any]:
    """Totals, one table per dimension (the contest table right after the stage table) and the weekly
    series (JSON-ready: it goes into a final snapshot). ``contest_names`` maps contest slug -> name."""
    totals = {g: sum(1 for r in rows if r.group == g) for g in GROUPS}
    dims = [DIMENSIONS[0], ("contest", CONTEST_TITLE), *DIMENSIONS[1:]]
    return {
        "totals": {**totals, "cases": len(rows), "incidents": sum(r.incidents for r in rows)},
        "columns": COLUMNS,
        "tables": [{"key": dim, "title": title, "rows": table(rows, dim, contest_names)} for dim, title in dims],
        "weekly": weekly(rows),
    }


def contest_sentence(data: dict[str, Any]) -> list[str]:
    """One sentence per report with more than one contest row: persons and incidents of each contest."""
    rows: list[list[Any]] = next((t["rows"] for t in data["tables"] if t["key"] == "contest"), [])
    if len(rows) < 2:
        return []
    parts = "; ".join(f"{r[0]}: {r[5]} orang ({r[6]} kejadian)" for r in rows)
    return [f"Menurut kontestasi — {parts}. Seorang pegawai yang berinteraksi dengan konten lebih dari satu "
            "kontestasi dihitung pada setiap kontestasi tersebut."]


def summary_sentences(data: dict[str, Any]) -> list[str]:
    """The section's opening paragraph, written from the numbers."""
    t = data["totals"]
    return [
        f"Selama periode laporan tercatat {t['cases']} kasus dugaan pelanggaran netralitas ASN "
        f"({t['incidents']} kejadian interaksi). Dari jumlah tersebut, {t['confirmed']} merupakan pelanggaran "
        f"yang telah dikonfirmasi dua penelaah, {t['due_process']} dalam proses tindak lanjut (Bawaslu, BKN, PPK), "
        f"{t['dismissed']} dihentikan, dan {t['leads']} masih berupa temuan awal yang belum diputus.",
        "Temuan awal adalah petunjuk bagi penelaah, bukan pelanggaran; sanksi tidak pernah ditetapkan oleh "
        "sistem. Tabel di bawah tidak memuat nama, NIP, maupun akun media sosial pegawai.",
        *contest_sentence(data),
    ]
