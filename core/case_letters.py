"""Letters of the due-process chain (a recommendation, a forwarding) kept as hashed files.

A letter is checked the way desk attachments are (PDF, JPEG or PNG whose content matches its name, within
``desk_attachment_max_bytes``), stored once in the content-addressed evidence archive and named in the
case event by its SHA-256, so the recommendation a decision rests on can be shown to be the one received.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.case_rules import MissingInput
from core.evidence import EvidenceArchive
from core.reports.archive import check_attachment, store
from core.reports.errors import AttachmentRefused
from core.settings import Settings

__all__ = ["ISSUERS", "archive_letter"]

#: Who issues a recommendation or forwards a case on (domain.md §3).
ISSUERS = ("bawaslu", "bkn", "ppk")


def archive_letter(session: Session, settings: Settings, filename: str, data: bytes) -> dict[str, Any]:
    """Check and archive one letter; the event data that names it (file name, hash, size, evidence id)."""
    try:
        media_type = check_attachment(filename, data, settings.desk_attachment_max_bytes)
    except AttachmentRefused as exc:
        raise MissingInput(f"letter: {exc}", "letter",
                           f"{settings.desk_attachment_max_bytes} bytes") from exc
    evidence = store(session, EvidenceArchive(settings.resolved_evidence_dir), data, media_type)
    return {"letter": {"filename": filename.rsplit("/", 1)[-1], "sha256": evidence.sha256,
                       "size": evidence.size, "media_type": media_type, "evidence_id": evidence.id}}
