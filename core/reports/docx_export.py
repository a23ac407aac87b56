"""The report as a DOCX in the form of a Pemkab report (python-docx).

Letterhead (settings: regency, office, address, logo), title page, table of contents, numbered
sections with their paragraphs and entry tables (indicators with units), section 9's tables and weekly
chart (PNG), the signature block of the Ketua Desk, page numbers in the footer, and the case annex.
The table of contents is a real TOC field whose shown result already lists the sections, so it reads
right before any word processor updates it (LibreOffice's PDF conversion shows it as written).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from core.reports import chart
from core.reports.content import tanggal
from core.reports.sections import NEUTRALITY

ENTRY_HEAD = ["No", "Kegiatan", "Indikator", "Permasalahan", "Solusi"]
ANNEX_HEAD = ["No. kasus", "Perangkat daerah", "Jenis", "Tanggal", "Platform", "Kode", "Status", "Uraian perbuatan"]


def _field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) with ``shown`` as its current result."""
    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el
    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run = paragraph.add_run()
    run._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def table(doc: Any, head: list[str], rows: list[list[str]], widths: list[float] | None = None,
           size: float = 9) -> Table:
    """A grid table with a bold header row."""
    table: Table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    for values in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(str(text)).font.size = Pt(size)
    if widths:
        table.autofit = False
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Cm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    return table


def letterhead(doc: Any, lh: dict[str, str], logo: Path | None) -> None:
    """The regency's letterhead (logo, regency, office, address, double rule) at the current position."""
    if logo is not None and logo.is_file():
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(str(logo), height=Cm(2.2))
    for text, size, bold in ((lh["name"], 14, True), (lh["office"], 12, True), (lh["address"], 10, False)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    rule = doc.add_paragraph()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    rule._p.get_or_add_pPr().append(border)


def entry_rows(entries: list[dict[str, Any]]) -> list[list[str]]:
    """The rows of a section's entry table (shared with the XLSX sheet's wording)."""
    rows = []
    for i, e in enumerate(entries, 1):
        what = [e["activity"]]
        for label, value in (("Tanggal", tanggal(e.get("on_date"))), ("Tempat", e.get("place")),
                             ("Penanggung jawab", e.get("unit")), ("Status", e.get("status"))):
            if value:
                what.append(f"{label}: {value}")
        for a in e.get("attachments", []):
            what.append(f"Lampiran: {a['filename']} (SHA-256 {a['sha256'][:16]}…)")
        indicators = "\n".join(f"{x['name']}: {x['value']} {x.get('unit', '')}".strip() for x in e["indicators"])
        rows.append([str(i), "\n".join(what), indicators, e.get("problems", ""), e.get("solutions", "")])
    return rows


def render(content: dict[str, Any], logo: Path | None = None) -> bytes:
    """DOCX bytes of ``content`` (:func:`core.reports.content.build`)."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.2))
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Halaman ")
    _field(footer, "PAGE")
    footer.add_run(" dari ")
    _field(footer, "NUMPAGES")

    report, election = content["report"], content["election"]
    letterhead(doc, content["letterhead"], logo)
    for _ in range(4):
        doc.add_paragraph()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(report["title"].upper())
    run.bold, run.font.size = True, Pt(18)
    for text in (election["name"], f"Periode {tanggal(report['period_start'])} s.d. {tanggal(report['period_end'])}",
                 "LAPORAN FINAL" if report["status"] == "final" else "DRAF LAPORAN"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).font.size = Pt(13)
    if report.get("supersedes"):
        doc.add_paragraph(f"Versi ini menggantikan laporan nomor {report['supersedes']}.").alignment = \
            WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading("Daftar Isi", level=1)
    toc = doc.add_paragraph()
    shown = "\n".join(f"{s['number']}. {s['title']}" for s in content["sections"]) + "\nLampiran: Daftar Kasus"
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', shown)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for s in content["sections"]:
        doc.add_heading(f"{s['number']}. {s['title']}", level=1)
        for para in s["paragraphs"]:
            doc.add_paragraph(para)
        if s["number"] == NEUTRALITY:
            _neutrality(doc, content["neutrality"])
        elif s["entries"]:
            table(doc, ENTRY_HEAD, entry_rows(s["entries"]), [1.0, 5.2, 3.8, 3.3, 3.3])
        elif not s["paragraphs"]:
            doc.add_paragraph("(Belum ada isian.)")

    _signature(doc, content["signature"])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Lampiran: Daftar Kasus", level=1)
    annex = content["annex"]
    if not annex:
        doc.add_paragraph("Belum ada kasus terkonfirmasi yang ditambahkan ke laporan.")
    else:
        named = content.get("named")
        head = ANNEX_HEAD + (["Nama", "NIP"] if named else [])
        rows = [[a["number"], a["unit"], a["employee_type"], tanggal(a["date"]), a["platform"], ", ".join(a["codes"]),
                 a["status"], a["conduct"], *([a.get("name", ""), a.get("nip", "")] if named else [])] for a in annex]
        table(doc, head, rows, size=8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _neutrality(doc: Any, data: dict[str, Any]) -> None:
    for i, t in enumerate(data["tables"], 1):
        doc.add_heading(f"9.{i} {t['title']}", level=2)
        rows = [[str(v) for v in r] for r in t["rows"]] or [["(tidak ada kasus)", *([""] * 6)]]
        table(doc, data["columns"], rows, [4.4, 2.0, 2.2, 2.2, 1.8, 1.5, 1.5], size=8)
    doc.add_heading(f"9.{len(data['tables']) + 1} Grafik mingguan", level=2)
    doc.add_paragraph().add_run().add_picture(io.BytesIO(chart.weekly_png(data["weekly"])), width=Cm(16))


def _signature(doc: Any, sig: dict[str, Any]) -> None:
    doc.add_paragraph()
    lines = [f"{sig['place']}, {tanggal(sig['date'])}", sig["title"], "", "", "", sig["name"] or "(nama)",
             f"NIP {sig['nip']}" if sig["nip"] else "NIP"]
    for i, text in enumerate(lines):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(9.5)
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold = i == 5
