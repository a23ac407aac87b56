"""Archived images shown inside the evidence viewer: a report's screenshots and a post's archived media.

Only images the viewer of that case draws can be fetched (:func:`review_ui.evidence_view.viewable_ids`),
only by the roles that may open the case, and only after the bytes are re-hashed against their SHA-256.
They are served as what they are (PNG, JPEG, GIF, WebP: never SVG or HTML) with ``nosniff``, a
sandboxing CSP and ``inline`` disposition, so the browser can draw them and nothing else.
"""

from __future__ import annotations

import hashlib
import logging

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.evidence import EvidenceArchive
from core.models import Case, Evidence, User
from core.settings import Settings
from review_ui import evidence_view
from review_ui.deps import CASE_READERS, get_db, get_settings, require
from review_ui.routes.evidence import DOWNLOAD_CSP

log = logging.getLogger(__name__)
router = APIRouter()


@router.get("/cases/{case_id}/image/{evidence_id}")
def image(case_id: int, evidence_id: int, user: User = Depends(require(*CASE_READERS)),
          db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The archived image, if the case's viewer shows it and its bytes still match their hash."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id}")
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    if evidence_id not in evidence_view.viewable_ids(db, case, archive):
        raise NotFound(f"image {evidence_id} of case {case_id}")
    evidence = db.get(Evidence, evidence_id)
    if evidence is None or evidence.media_type not in evidence_view.INLINE_IMAGES:
        raise NotFound(f"image {evidence_id}")
    try:
        body = (archive.root / evidence.stored_path).read_bytes()
    except OSError as exc:
        raise NotFound(f"archived file of evidence {evidence_id}") from exc
    if hashlib.sha256(body).hexdigest() != evidence.sha256:
        log.warning("image %s of case %s does not match its SHA-256; not shown", evidence_id, case_id)
        raise NotFound(f"image {evidence_id} (altered)")
    return Response(body, media_type=evidence.media_type, headers={
        "x-content-type-options": "nosniff", "content-security-policy": DOWNLOAD_CSP,
        "content-disposition": f'inline; filename="{evidence.sha256}"', "cache-control": "private, no-store"})
