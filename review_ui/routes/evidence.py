"""Downloading a case's archived evidence, byte for byte, only after the bytes are proven unaltered.

A case may end in a disciplinary decision, so a reviewer or auditor must be able to hand over exactly what
the platform returned. The route is scoped to the case: only evidence the case page itself shows (the
target content's and the attached interactions') can be fetched, and only by the roles that may open the
case. The file is copied into a spool *while* it is hashed, so the bytes sent are the bytes checked (no
window for a swap between check and send); a mismatch or a missing file is refused, audited and logged,
never served. Each download is an audit event committed before the first byte leaves.

Archived responses are HTML or JSON from foreign sites: they are always sent as an
``application/octet-stream`` attachment with ``nosniff`` and a sandboxing CSP, so a browser never renders
them in the app's origin.

Blind review: while the employee's identity is hidden, only the target content's evidence is offered;
an interaction's raw response (the employee's own like or comment) names their account, so it becomes
downloadable with the identity, after the first confirmation.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
from typing import IO

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, cases
from core.errors import NotFound
from core.evidence import EvidenceArchive
from core.models import Case, ContentItem, Evidence, Incident, IncidentInteraction, Interaction, User
from core.settings import Settings
from review_ui.deps import CASE_READERS, get_db, get_settings, require
from review_ui.spool import CHUNK_BYTES, chunks, new_spool
from review_ui.templating import gettext_for, render

log = logging.getLogger(__name__)
router = APIRouter()
_EXT = re.compile(r"^\.[a-z0-9]{1,10}$")
#: Even opened directly, an archived page can run nothing and reach nothing.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def extension(media_type: str) -> str:
    """A file-name extension for ``media_type`` (``.bin`` when unknown or odd)."""
    ext = mimetypes.guess_extension(media_type.split(";", 1)[0].strip().lower(), strict=False) or ""
    return ext if _EXT.match(ext) else ".bin"


def case_evidence(db: Session, case: Case, evidence_id: int, identity_hidden: bool) -> Evidence | None:
    """The evidence row if the case page shows it (interaction evidence only once the identity is shown):
    the targets' evidence of the case's incidents, and the evidence of the interactions attached to them."""
    targets = select(Incident.target_content_id).where(Incident.case_id == case.id)
    cited = [select(ContentItem.evidence_id).where(ContentItem.id.in_(targets))]
    if not identity_hidden:
        cited.append(select(Interaction.evidence_id)
                     .join(IncidentInteraction, IncidentInteraction.interaction_id == Interaction.id)
                     .join(Incident, Incident.id == IncidentInteraction.incident_id)
                     .where(Incident.case_id == case.id))
    ids = {i for query in cited for i in db.scalars(query) if i is not None}
    return db.get(Evidence, evidence_id) if evidence_id in ids else None


def _copy_hashed(archive: EvidenceArchive, evidence: Evidence, spool: IO[bytes]) -> str | None:
    """Copy the archived file into ``spool``; its SHA-256, or None when the file is missing."""
    digest = hashlib.sha256()
    try:
        with (archive.root / evidence.stored_path).open("rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                digest.update(chunk)
                spool.write(chunk)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return digest.hexdigest()


def _refuse(request: Request, db: Session, user: User, case: Case, evidence: Evidence, reason: str,
            actual: str | None) -> Response:
    """Audit and explain why the file was not sent (missing: 410, altered: 409)."""
    _ = gettext_for(request)
    log.warning("evidence %s (%s) of case %s not served: %s", evidence.id, evidence.sha256, case.id, reason)
    audit.record(db, user.username, "evidence.download_refused", object_type="evidence", object_id=evidence.id,
                 details={"case_id": case.id, "sha256": evidence.sha256, "reason": reason, "actual": actual})
    db.commit()
    if reason == "missing":
        message = _("The archived file of this evidence is missing from the archive. It was not sent; "
                    "tell the administrator (netral evidence verify).")
        return render(request, "error.html", {"message": message}, status_code=410)
    message = _("The archived file no longer matches its SHA-256: it may have been altered. It was not sent; "
                "tell the administrator at once (netral evidence verify).")
    return render(request, "error.html", {"message": message}, status_code=409)


@router.get("/cases/{case_id}/evidence/{evidence_id}")
def download(request: Request, case_id: int, evidence_id: int, user: User = Depends(require(*CASE_READERS)),
             db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The evidence file as an attachment named ``<sha256>.<ext>``, after its hash is checked (audited)."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id}")
    evidence = case_evidence(db, case, evidence_id, cases.identity_hidden(case, settings))
    if evidence is None:
        raise NotFound(f"evidence {evidence_id} of case {case_id}")
    spool = new_spool()
    try:
        actual = _copy_hashed(EvidenceArchive(settings.resolved_evidence_dir), evidence, spool)
        if actual != evidence.sha256:
            spool.close()
            return _refuse(request, db, user, case, evidence, "missing" if actual is None else "hash mismatch",
                           actual)
        size = spool.tell()
        audit.record(db, user.username, "evidence.download", object_type="evidence", object_id=evidence.id,
                     details={"case_id": case.id, "sha256": evidence.sha256, "role": user.role})
        db.commit()
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(chunks(spool), media_type="application/octet-stream", headers={
        "content-disposition": f'attachment; filename="{evidence.sha256}{extension(evidence.media_type)}"',
        "content-length": str(size), "x-content-type-options": "nosniff",
        "content-security-policy": DOWNLOAD_CSP})
