"""The surat pengantar of a referral dossier (DOCX on the letterhead, in Indonesian)."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm, Pt

from core.models import utcnow
from core.reports.case_source import CaseSummary
from core.reports.content import tanggal
from core.reports.docx_export import letterhead
from core.settings import Settings


def render(settings: Settings, s: CaseSummary, recipient: str, attachments: list[str]) -> bytes:
    """DOCX bytes of the cover letter addressed to ``recipient``, listing ``attachments``."""
    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(11)
    letterhead(doc, {"name": settings.desk_letterhead_name, "office": settings.desk_letterhead_office,
                     "address": settings.desk_letterhead_address}, settings.desk_letterhead_logo)
    today = tanggal(utcnow().date())
    for text in (f"Nomor    : ....../{s.row.number}", f"Lampiran : {len(attachments)} berkas",
                 "Perihal  : Penerusan dugaan pelanggaran netralitas ASN", "", f"{s.region}, {today}", "",
                 "Kepada Yth.", recipient, "di tempat", ""):
        p = doc.add_paragraph(text)
        p.paragraph_format.space_after = Pt(0)
    doc.add_paragraph(
        f"Bersama ini kami teruskan dugaan pelanggaran netralitas Aparatur Sipil Negara pada {s.election_name} "
        f"dengan nomor kasus {s.row.number}, atas nama {s.employee_name} ({s.row.employee_type}, {s.row.unit}). "
        "Dugaan ini telah ditelaah dan dikonfirmasi oleh dua penelaah BKPSDM secara terpisah. Penetapan jenis "
        "pelanggaran dan sanksi sepenuhnya menjadi kewenangan lembaga yang berwenang sesuai ketentuan "
        "peraturan perundang-undangan.")
    doc.add_paragraph("Sebagai bahan pertimbangan, bersama surat ini kami lampirkan:")
    for i, item in enumerate(attachments, 1):
        doc.add_paragraph(f"{i}. {item}").paragraph_format.left_indent = Cm(0.8)
    doc.add_paragraph(
        "Keaslian setiap berkas dapat diperiksa dengan berkas manifest.json beserta tanda tangan digitalnya "
        "(manifest.sig) menggunakan kunci publik instansi kami.")
    doc.add_paragraph("Demikian kami sampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.")
    for text in ("", "Ketua Desk Pilkada", "", "", "(nama)", "NIP"):
        p = doc.add_paragraph(text)
        p.paragraph_format.left_indent = Cm(9.5)
        p.paragraph_format.space_after = Pt(0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
