"""The data-subject export page: an administrator downloads everything netral holds about one employee.

UU 27/2022 gives every employee the right to see their personal data, answered within 3×24 hours
(domain.md §6). Only administrators (the data-protection officer's role) may export, because the ZIP
holds the person's identity, cases and evidence in full. The ZIP is built by
:func:`core.subject_export.export_subject`, which audits the export in the request's transaction; it is
spooled (memory, then disk) so the commit happens before the first byte is sent.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from core import subject_export
from core.errors import NotFound
from core.evidence import EvidenceArchive
from core.models import Role, User
from core.settings import Settings
from review_ui.deps import get_db, get_settings, require
from review_ui.spool import chunks, new_spool
from review_ui.templating import gettext_for, render

router = APIRouter()


def _filename(id_number: str) -> str:
    return f"netral-subjek-{re.sub(r'[^0-9A-Za-z_-]', '', id_number)[:40] or 'pegawai'}.zip"


@router.get("/admin/subjects")
def subjects_page(request: Request, user: User = Depends(require(Role.ADMIN))) -> Response:
    """The form asking for the employee's number (showing it reveals no personal data)."""
    return render(request, "subjects.html", {"id_number": "", "raw_evidence": False, "raw_reason": ""})


@router.post("/admin/subjects")
def subjects_export(request: Request, id_number: str = Form(""), raw_evidence: str = Form(""),
                    raw_reason: str = Form(""), user: User = Depends(require(Role.ADMIN)),
                    db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The employee's ZIP as an attachment; the export is audited under the administrator's username.

    Evidence naming other employees is redacted unless the administrator ticks ``raw_evidence`` and gives
    ``raw_reason`` (both recorded in the audit event)."""
    _ = gettext_for(request)
    number = id_number.strip()
    form = {"id_number": number, "raw_evidence": bool(raw_evidence), "raw_reason": raw_reason}
    if not number:
        return render(request, "subjects.html", form | {"error": _(
            "Enter the employee's NIP, NI PPPK or staff number.")}, status_code=422)
    if raw_evidence and not raw_reason.strip():
        return render(request, "subjects.html", form | {"error": _(
            "Original evidence files name other employees: give the reason for shipping them.")}, status_code=422)
    spool = new_spool()
    try:
        result = subject_export.export_subject(db, EvidenceArchive(settings.resolved_evidence_dir), number, spool,
                                               actor=user.username, context={"via": "web", "role": user.role},
                                               raw_evidence_reason=raw_reason if raw_evidence else None)
        db.commit()
    except NotFound:
        spool.close()
        db.rollback()
        return render(request, "subjects.html", form | {"error": _(
            "No employee has this number.")}, status_code=404)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(chunks(spool), media_type="application/zip", headers={
        "content-disposition": f'attachment; filename="{_filename(number)}"',
        "content-length": str(result.size)})
