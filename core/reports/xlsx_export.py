"""The report as an XLSX workbook (openpyxl): a sheet per section's entries, the aggregates, the annex.

Every string cell that starts with ``=``, ``+``, ``-`` or ``@`` is stored as an explicit string cell, so
text that came from a crawler or a form can never run as a formula (CSV/formula injection).
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

from core.reports.content import tanggal
from core.reports.sections import NEUTRALITY

FORMULA_START = ("=", "+", "-", "@")


def _append(ws: Worksheet, values: list[Any]) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = TYPE_STRING  # written as <c t="s">: shown as text, never evaluated


def render(content: dict[str, Any]) -> bytes:
    """XLSX bytes of ``content`` (:func:`core.reports.content.build`)."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Laporan"
    report = content["report"]
    for row in (["Judul", report["title"]], ["Pemilihan", content["election"]["name"]],
                ["Periode", f"{tanggal(report['period_start'])} s.d. {tanggal(report['period_end'])}"],
                ["Status", report["status"]], ["Dibuat", content["generated_at"]]):
        _append(info, row)
    for s in content["sections"]:
        _append(info, [f"{s['number']}. {s['title']}", "\n\n".join(s["paragraphs"])])
        if s["number"] == NEUTRALITY:
            continue
        ws = wb.create_sheet(f"Bagian {s['number']}")
        _append(ws, ["No", "Kegiatan", "Tanggal", "Tempat", "Penanggung jawab", "Status", "Indikator", "Nilai",
                     "Satuan", "Permasalahan", "Solusi", "Lampiran"])
        for i, e in enumerate(s["entries"], 1):
            attachments = ", ".join(f"{a['filename']} ({a['sha256']})" for a in e["attachments"])
            base = [i, e["activity"], e["on_date"] or "", e["place"], e["unit"], e["status"]]
            indicators = e["indicators"] or [{"name": "", "value": "", "unit": ""}]
            for k, x in enumerate(indicators):
                value: Any = x["value"]
                with contextlib.suppress(ValueError):
                    value = float(value) if value != "" else ""
                _append(ws, [*(base if k == 0 else [i, "", "", "", "", ""]), x["name"], value, x.get("unit", ""),
                             e["problems"] if k == 0 else "", e["solutions"] if k == 0 else "",
                             attachments if k == 0 else ""])
    agg = wb.create_sheet("Netralitas ASN")
    data = content["neutrality"]
    totals = data["totals"]
    for key, label in (("cases", "Jumlah kasus"), ("incidents", "Jumlah kejadian"), ("leads", "Temuan awal"),
                       ("confirmed", "Terkonfirmasi"), ("due_process", "Proses tindak lanjut"),
                       ("dismissed", "Dihentikan")):
        _append(agg, [label, totals[key]])
    for t in data["tables"]:
        _append(agg, [])
        _append(agg, [t["title"]])
        _append(agg, list(data["columns"]))
        for r in t["rows"]:
            _append(agg, list(r))
    _append(agg, [])
    _append(agg, ["Minggu mulai", "Temuan awal", "Terkonfirmasi", "Proses tindak lanjut", "Dihentikan"])
    for w in data["weekly"]:
        _append(agg, list(w))
    annex = wb.create_sheet("Lampiran kasus")
    named = bool(content.get("named"))
    _append(annex, ["No. kasus", "Perangkat daerah", "Jenis", "Tanggal", "Platform", "Kode", "Status", "Kejadian",
                    "Uraian perbuatan", *(["Nama", "NIP"] if named else [])])
    for a in content["annex"]:
        _append(annex, [a["number"], a["unit"], a["employee_type"], a["date"], a["platform"], ", ".join(a["codes"]),
                        a["status"], a["incidents"], a["conduct"], *([a["name"], a["nip"]] if named else [])])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
