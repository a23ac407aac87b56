"""Files of the desk report in the evidence archive: entry attachments (checked) and export files.

An attachment must be a PDF, JPEG or PNG by its name *and* by its first bytes (a "PDF" that does not
start with ``%PDF-`` is refused), and no larger than ``Settings.desk_attachment_max_bytes``. Nothing is
stored when a check fails. Stored bytes are content-addressed (SHA-256), like every evidence file.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath

from sqlalchemy.orm import Session

from core import audit
from core.evidence import EvidenceArchive
from core.models import DeskAttachment, DeskReport, Evidence, utcnow
from core.reports.editing import editable, entry_of
from core.reports.errors import AttachmentRefused
from core.settings import Settings

#: extension -> (media type, magic prefixes)
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def check_attachment(filename: str, data: bytes, max_bytes: int) -> str:
    """The media type of an acceptable attachment, or :class:`AttachmentRefused` with the reason."""
    name = PurePath(filename or "").name
    ext = PurePath(name).suffix.lower()
    if ext not in KINDS:
        raise AttachmentRefused(f"{name or 'file'}: only PDF, JPEG or PNG files can be attached", "file_type",
                                "file", name=name)
    if not data:
        raise AttachmentRefused(f"{name}: the file is empty", "file_empty", "file", name=name)
    if len(data) > max_bytes:
        raise AttachmentRefused(f"{name}: {len(data)} bytes is over the limit of {max_bytes} bytes", "file_size",
                                "file", name=name, limit=max_bytes)
    media_type, magic = KINDS[ext]
    if not any(data.startswith(m) for m in magic):
        raise AttachmentRefused(f"{name}: the content is not a {ext[1:].upper()} file", "file_magic", "file",
                                name=name)
    return media_type


def store(session: Session, archive: EvidenceArchive, data: bytes, media_type: str) -> Evidence:
    """Archive ``data`` and return its own evidence (capture) row."""
    sha, rel = archive.put(data)
    at = utcnow()
    # each upload is its own capture (its own row and time) pointing at the content-addressed file
    key = hashlib.sha256(f"{sha}|desk-upload|{at.isoformat()}|{secrets.token_hex(8)}".encode()).hexdigest()
    evidence = Evidence(capture_key=key, sha256=sha, media_type=media_type, size=len(data), fetched_at=at,
                        source_url=None, http_status=None, headers={}, stored_path=rel)
    session.add(evidence)
    session.flush()
    return evidence


def attach(session: Session, settings: Settings, report: DeskReport, entry_id: int, filename: str, data: bytes,
           actor: str) -> DeskAttachment:
    """Check and archive an uploaded file and attach it to an entry of a draft report."""
    editable(report)
    entry = entry_of(report, entry_id)
    media_type = check_attachment(filename, data, settings.desk_attachment_max_bytes)
    evidence = store(session, EvidenceArchive(settings.resolved_evidence_dir), data, media_type)
    att = DeskAttachment(entry_id=entry.id, evidence_id=evidence.id, filename=PurePath(filename).name[:255],
                         media_type=media_type, added_by=actor)
    entry.attachments.append(att)
    session.flush()
    audit.record(session, actor, "desk_report_attach", object_type="desk_report", object_id=report.id,
                 details={"entry_id": entry.id, "filename": att.filename, "sha256": evidence.sha256})
    return att
