"""Exports and finalisation: every file made is archived, recorded with its SHA-256 and audited.

A named annex (name and NIP of each case's employee) exists only in an export made by an admin; the
audit event says so. Finalising builds the content once, stores it as the report's ``snapshot``,
renders DOCX, PDF and XLSX from it (kept as the report's frozen exports) and audits their hashes; from
then on every export of that report renders the same snapshot.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core import audit
from core.evidence import EvidenceArchive
from core.models import DeskExport, DeskReport, utcnow
from core.models.users import Role
from core.reports import archive, content, docx_export, pdf_export, xlsx_export
from core.reports.editing import editable
from core.reports.errors import ReportError
from core.settings import Settings

log = logging.getLogger(__name__)
FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class ExportFile:
    """One rendered export."""

    format: str
    data: bytes
    sha256: str

    @property
    def media_type(self) -> str:
        return FORMATS[self.format]


def render_all(settings: Settings, data: dict[str, object], formats: tuple[str, ...]) -> dict[str, bytes]:
    """Render the asked formats of one content (the PDF is made from the DOCX)."""
    out: dict[str, bytes] = {}
    docx = None
    if "docx" in formats or "pdf" in formats:
        docx = docx_export.render(data, settings.desk_letterhead_logo)
        if "docx" in formats:
            out["docx"] = docx
    if "pdf" in formats:
        assert docx is not None
        out["pdf"] = pdf_export.docx_to_pdf(docx, settings.soffice_cmd, settings.pdf_timeout_seconds)
    if "xlsx" in formats:
        out["xlsx"] = xlsx_export.render(data)
    return out


def _keep(session: Session, settings: Settings, report: DeskReport, fmt: str, data: bytes, actor: str,
          named: bool, frozen: bool) -> ExportFile:
    evidence = archive.store(session, EvidenceArchive(settings.resolved_evidence_dir), data, FORMATS[fmt])
    session.add(DeskExport(report_id=report.id, format=fmt, evidence_id=evidence.id, sha256=evidence.sha256,
                           size=len(data), named=named, frozen=frozen, made_by=actor))
    session.flush()
    return ExportFile(fmt, data, hashlib.sha256(data).hexdigest())


def export(session: Session, settings: Settings, report: DeskReport, fmt: str, actor: str, role: str,
           *, named: bool = False) -> ExportFile:
    """Render, archive and audit one export; a named annex only for an admin."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}: use docx, pdf or xlsx", "format", "format")
    if named and role != Role.ADMIN:
        raise ReportError("only an admin can export the annex with names", "named_admin_only")
    frozen = next((e for e in report.exports if e.frozen and e.format == fmt), None)
    if frozen is not None and not named:  # a final report's export is the file kept when it was finalised
        blob = EvidenceArchive(settings.resolved_evidence_dir).read(frozen.sha256)
        file = ExportFile(fmt, blob, hashlib.sha256(blob).hexdigest())
        if file.sha256 != frozen.sha256:
            raise ReportError(f"the archived {fmt} of final report {report.id} no longer matches its SHA-256",
                              "frozen_altered")
        audit.record(session, actor, "desk_report_export", object_type="desk_report", object_id=report.id,
                     details={"format": fmt, "sha256": file.sha256, "size": len(blob), "named": False,
                              "status": report.status, "frozen": True})
        return file
    data = content.build(session, settings, report, named=named)
    file = _keep(session, settings, report, fmt, render_all(settings, data, (fmt,))[fmt], actor, named, False)
    audit.record(session, actor, "desk_report_export", object_type="desk_report", object_id=report.id,
                 details={"format": fmt, "sha256": file.sha256, "size": len(file.data), "named": named,
                          "status": report.status})
    return file


def finalise(session: Session, settings: Settings, report: DeskReport, actor: str) -> dict[str, str]:
    """Freeze the report: snapshot, the three exports kept with their SHA-256; returns ``{format: sha256}``."""
    editable(report)
    report.status = "final"
    report.finalised_at = utcnow()
    report.finalised_by = actor
    data = content.build(session, settings, report, named=False)
    data["report"]["status"] = "final"
    files = render_all(settings, data, tuple(FORMATS))
    hashes = {}
    for fmt, blob in files.items():
        hashes[fmt] = _keep(session, settings, report, fmt, blob, actor, False, True).sha256
    data["exports"] = hashes
    report.snapshot = data
    session.flush()
    audit.record(session, actor, "desk_report_finalise", object_type="desk_report", object_id=report.id,
                 details={"exports": hashes, "cases": len(data["annex"])})
    return hashes
