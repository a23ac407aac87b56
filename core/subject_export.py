"""The data-subject export: one ZIP answering an employee's access request under UU 27/2022 (PDP).

The regency's data-protection officer must answer an access request within 3×24 hours (domain.md §6).
:func:`export_subject` writes what :func:`core.subject_data.gather` found into a ZIP:

- ``subject.json`` — every section, UTF-8, keys in a fixed order, ISO-8601 times (UTC);
- ``ringkasan.txt`` — an Indonesian summary for the person: what the file holds, counts per section,
  the legal basis, when and by whom it was made;
- ``evidence/<sha256>`` — the archived files the rows cite, byte for byte. A file missing from the
  archive (``missing``), unreadable, or whose bytes no longer match their hash (``altered``) is
  reported in ``subject.json``, never fatal: the rest of the answer is still owed within the deadline.
- ``evidence/redacted/<sha256>`` — a file that names other employees' declared accounts (a comment
  thread, a likers list) as a rendering with those identities replaced (:mod:`core.subject_redaction`);
  the original goes in only on an administrator's explicit, audited ``raw_evidence_reason``.

The export is itself an act on personal data, so it is audited (``subject.export``, object the
employee's row id, details with the counts and the ZIP's SHA-256) in the caller's transaction — the
same one that read the data; the caller commits. The ZIP cannot list its own audit event (the event
holds the ZIP's hash); the summary says so. Entries carry the generation time, so the same data
exported at the same instant gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from sqlalchemy.orm import Session

from core import audit
from core.errors import NetralError
from core.evidence import EvidenceArchive
from core.models import utcnow
from core.subject_data import SubjectData, gather, iso
from core.subject_redaction import Redactor
from core.subject_summary import summary_text

log = logging.getLogger(__name__)

FORMAT = "netral.subject-export/1"
LEGAL_BASIS = "tugas publik, UU 27/2022 Ps. 20(2)e"
AUDIT_ACTION = "subject.export"


class RawEvidenceNeedsReason(NetralError):
    """Raw evidence was asked for without saying why (the reason goes in the audit log and the summary)."""


class _HashingWriter:
    """Passes bytes on to ``out`` and hashes them; it cannot seek, so ``zipfile`` writes in one pass."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.out.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        """Nothing to release: ``out`` belongs to the caller, who closes it."""


@dataclass(frozen=True)
class SubjectExport:
    """What was exported: whose data, the ZIP's hash and size, and counts per section."""

    employee_id: int
    sha256: str
    size: int
    counts: dict[str, int]
    evidence: dict[str, int]  # status -> how many files


def _entry(zf: zipfile.ZipFile, name: str, data: bytes, when: datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _evidence_files(zf: zipfile.ZipFile, data: SubjectData, archive: EvidenceArchive, when: datetime,
                    redactor: Redactor, raw: bool, naming_images: set[str]) -> list[dict[str, Any]]:
    """Write the cited files (one read at a time) and return the evidence section with each file's status.

    A file naming another employee's declared account goes in as a redacted rendering
    (``evidence/redacted/<sha256>``, status ``redacted``) unless ``raw`` (then ``included_raw``). A screenshot
    whose OCR text names one (``naming_images``) cannot be redacted: it is ``withheld_names_others``
    unless ``raw``."""
    rows = []
    written: set[str] = set()  # captures share files (identical bodies): each file goes in once
    for row in data.evidence:
        withheld = row.sha256 in data.withheld_evidence
        status, name, rendering_sha = "withheld", None, None
        if not withheld:
            try:
                body = archive.read(row.sha256)
            except FileNotFoundError:
                status = "missing"
            except OSError as exc:  # permissions, a directory in its place: still owed the rest of the answer
                status = "unreadable"
                log.warning("subject export: evidence %s unreadable: %s", row.sha256, exc)
            else:
                if hashlib.sha256(body).hexdigest() != row.sha256:
                    status = "altered"
                else:
                    rendering = redactor.body(body, row.media_type)
                    if row.sha256 in naming_images and not raw:
                        status = "withheld_names_others"
                    elif row.sha256 in naming_images:
                        status, name = "included_raw", f"evidence/{row.sha256}"
                    elif rendering is None:
                        status, name = "included", f"evidence/{row.sha256}"
                    elif raw:
                        status, name = "included_raw", f"evidence/{row.sha256}"
                    else:
                        status, name, body = "redacted", f"evidence/redacted/{row.sha256}", rendering
                        rendering_sha = hashlib.sha256(rendering).hexdigest()
                    if name is not None and name not in written:
                        written.add(name)
                        _entry(zf, name, body, when)
        if status in ("missing", "altered"):
            log.warning("subject export: evidence %s %s", row.sha256, status)
        rows.append({"sha256": row.sha256, "media_type": row.media_type, "size": row.size,
                     "fetched_at": iso(row.fetched_at), "source_url": None if withheld else row.source_url,
                     "http_status": row.http_status, "status": status, "file": name,
                     "rendering_sha256": rendering_sha})
    return rows


def _redact_reports(rows: list[dict[str, Any]], redactor: Redactor) -> set[str]:
    """Hide other employees in screenshots' OCR text; the hashes of the screenshots whose text named one."""
    naming: set[str] = set()
    for report in rows:
        for f in report["files"]:
            before = redactor.replaced
            f["ocr_text"] = redactor.text(f["ocr_text"]) if isinstance(f["ocr_text"], str) else f["ocr_text"]
            if redactor.replaced > before and f["evidence_sha256"]:
                naming.add(f["evidence_sha256"])
    return naming


def _redact_content(rows: list[dict[str, Any]], redactor: Redactor) -> int:
    """Hide other employees in the text of content the subject did not write; how many rows changed."""
    changed = 0
    for row in rows:
        if row["author_is_subject"]:
            continue
        before = redactor.replaced
        row["text"] = redactor.text(row["text"]) if isinstance(row["text"], str) else row["text"]
        row["extra"] = redactor.value(row["extra"])
        changed += redactor.replaced > before
    return changed


def export_subject(session: Session, archive: EvidenceArchive, number: str, out: IO[bytes], *, actor: str,
                   context: dict[str, Any] | None = None, now: datetime | None = None,
                   raw_evidence_reason: str | None = None) -> SubjectExport:
    """Write the ZIP for the employee ``number`` to ``out`` and audit it; the caller commits.

    ``context`` (e.g. ``{"via": "cli"}``) is added to the audit event's details. Raises
    :class:`core.errors.NotFound` for an unknown number, before anything is written.
    ``raw_evidence_reason`` (an administrator's explicit choice, with why) ships evidence files as
    captured, other employees' accounts included; it is recorded in the audit event and the summary.
    """
    raw = raw_evidence_reason is not None
    if raw and not (raw_evidence_reason or "").strip():
        raise RawEvidenceNeedsReason("raw evidence files name other employees: give the reason for shipping them")
    data = gather(session, number)
    redactor = Redactor.for_subject(session, data.employee)
    when = (now or utcnow()).replace(microsecond=0)
    writer = _HashingWriter(out)
    with zipfile.ZipFile(writer, "w") as zf:
        naming_images = _redact_reports(data.sections["reports"], redactor)
        evidence = _evidence_files(zf, data, archive, when, redactor, raw, naming_images)
        sections: dict[str, Any] = {**data.sections, "evidence": evidence}
        redacted_content = _redact_content(sections["content"], redactor)
        counts: dict[str, int] = {}
        for name, rows in sections.items():
            counts[name] = 1 if name == "employee" else len(rows)
            if name == "cases":
                counts["case_events"] = sum(len(c["events"]) for c in rows)
        by_status: dict[str, int] = {}
        for row in evidence:
            by_status[row["status"]] = by_status.get(row["status"], 0) + 1
        redaction = {"colleagues": redactor.colleagues, "replacements": redactor.replaced,
                     "content_rows": redacted_content, "raw_evidence": raw,
                     **({"raw_evidence_reason": (raw_evidence_reason or "").strip()} if raw else {})}
        document = {"format": FORMAT, "generated_at": iso(when), "generated_by": actor,
                    "legal_basis": LEGAL_BASIS, "counts": counts, "redaction": redaction, **sections}
        _entry(zf, "subject.json", json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"), when)
        text = summary_text(data.employee, counts, by_status, generated_at=when, actor=actor,
                            legal_basis=LEGAL_BASIS, redaction=redaction)
        _entry(zf, "ringkasan.txt", text.encode("utf-8"), when)
    writer.flush()
    digest = writer.digest.hexdigest()
    audit.record(session, actor, AUDIT_ACTION, object_type="employee", object_id=data.employee.id,
                 details={**(context or {}), "counts": counts, "evidence": by_status, "sha256": digest,
                          "size": writer.size, "generated_at": iso(when), "redaction": redaction})
    log.info("subject export of employee %s: %d bytes, sha256 %s%s", data.employee.id, writer.size, digest,
             " (raw evidence)" if raw else "")
    return SubjectExport(data.employee.id, digest, writer.size, counts, by_status)
