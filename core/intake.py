"""Report intake: evidence from closed platforms, sent in as a URL, screenshots and a note.

WhatsApp groups, Instagram, TikTok and Facebook profiles cannot be crawled by a regency, so a person
reports what they saw. :func:`add_report` (used by ``netral report add`` and the review UI) checks the
whole input first and writes nothing when any of it is wrong; then it archives every file in the
evidence archive, fetches and archives the URL when it is reachable (an unreachable URL is recorded,
never fatal), OCRs the screenshots with Tesseract's Indonesian model, and stores the text as a
:class:`ContentItem` of kind ``report`` linked to the employee through a :class:`Report` row, with an
audit event. Reporting the same employee, URL, screenshots and note again returns the first report.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import NetralError, NotFound
from core.evidence import Capture, EvidenceArchive, redact_url, safe_headers
from core.ingest.upsert import lookup_ids, upsert
from core.models import ContentItem, Employee, Evidence, Platform, Report, ReportFile
from core.ocr import OcrError, ocr_image, tesseract_available
from core.settings import Settings

log = logging.getLogger(__name__)

#: Host suffix → platform, for URLs people typically report.
_HOSTS = {
    "whatsapp.com": Platform.WHATSAPP, "wa.me": Platform.WHATSAPP, "instagram.com": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK, "facebook.com": Platform.FACEBOOK, "fb.com": Platform.FACEBOOK,
    "fb.watch": Platform.FACEBOOK, "x.com": Platform.X, "twitter.com": Platform.X,
    "youtube.com": Platform.YOUTUBE, "youtu.be": Platform.YOUTUBE, "bsky.app": Platform.BLUESKY,
}
_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/tiff", "image/bmp", "image/webp"}


class ReportInputError(NetralError):
    """The report was rejected before anything was written (bad URL, missing or unreadable file...)."""


@dataclass(frozen=True)
class PageFetch:
    """What fetching the reported URL gave: a capture, or why there is none."""

    capture: Capture | None
    error: str | None


def platform_of(url: str | None, given: str | None) -> str:
    """The report's platform: as given, else recognised from the URL's host."""
    if given:
        if given.lower() not in {p.value for p in Platform}:
            raise ReportInputError(f"unknown platform {given!r}; one of: {', '.join(p.value for p in Platform)}")
        return given.lower()
    host = (urlsplit(url).hostname or "") if url else ""
    for suffix, platform in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform.value
    raise ReportInputError("cannot tell the platform from the URL; give it explicitly (--platform)")


def _read_screenshots(paths: list[Path]) -> list[tuple[Path, bytes, str]]:
    files = []
    for path in paths:
        if not path.is_file():
            raise ReportInputError(f"screenshot {path} does not exist or is not a file")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type not in _IMAGE_TYPES:
            raise ReportInputError(f"screenshot {path} is not an image (PNG, JPEG, GIF, TIFF, BMP, WebP)")
        files.append((path, path.read_bytes(), media_type))
    return files


def fetch_page(url: str, settings: Settings) -> PageFetch:
    """GET ``url`` once with a short timeout; any failure is returned as text, never raised."""
    try:
        with httpx.Client(timeout=settings.report_fetch_timeout_seconds, follow_redirects=True,
                          headers={"User-Agent": settings.crawl_user_agent}) as client, \
                client.stream("GET", url) as resp:
            body = b""
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) >= settings.report_fetch_max_bytes:
                    body = body[: settings.report_fetch_max_bytes]
                    break
            media_type = resp.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
            capture = Capture(body=body, url=str(resp.url), status=resp.status_code,
                              headers=dict(resp.headers), media_type=media_type or "application/octet-stream")
            error = None if resp.status_code < 400 else f"HTTP {resp.status_code}"
            return PageFetch(capture, error)
    except httpx.HTTPError as exc:
        log.info("reported URL %s unreachable: %s", redact_url(url), type(exc).__name__)
        return PageFetch(None, f"{type(exc).__name__}: {exc}"[:500])


def _store_evidence(session: Session, archive: EvidenceArchive, caps: list[Capture]) -> dict[str, int]:
    """Archive the bytes and upsert one ``evidence`` row per capture; ``{capture key: evidence id}``."""
    rows = []
    for cap in caps:
        archive.put(cap.body, cap.sha256)
        rows.append({"capture_key": cap.key, "sha256": cap.sha256, "media_type": cap.media_type[:128],
                     "size": len(cap.body),
                     "fetched_at": cap.fetched_at, "source_url": redact_url(cap.url) if cap.url else None,
                     "http_status": cap.status, "headers": safe_headers(cap.headers),
                     "stored_path": archive.relative_path(cap.sha256)})
    upsert(session, Evidence.__table__, rows, ["capture_key"])  # type: ignore[arg-type]
    return lookup_ids(session, Evidence.__table__, "capture_key", [c.key for c in caps])  # type: ignore[arg-type]


def _report_key(employee: Employee, url: str | None, shots: list[tuple[Path, bytes, str]], note: str) -> str:
    digest = hashlib.sha256()
    for part in (employee.id_number, url or "", note, *(hashlib.sha256(b).hexdigest() for _, b, _ in shots)):
        digest.update(part.encode("utf-8") + b"\0")
    return f"report:{digest.hexdigest()[:40]}"


def add_report(session: Session, settings: Settings, *, employee_number: str, url: str | None,
               screenshots: list[Path], note: str, actor: str, platform: str | None = None) -> ContentItem:
    """Store one report (see the module docstring); the caller commits."""
    employee = session.scalars(select(Employee).where(Employee.id_number == employee_number.strip())).first()
    if employee is None:
        raise NotFound(f"no employee with number {employee_number!r}")
    if not url and not screenshots:
        raise ReportInputError("a report needs a URL or at least one screenshot")
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise ReportInputError(f"URL must start with http:// or https://: {url!r}")
    where = platform_of(url, platform)
    shots = _read_screenshots(screenshots)
    if shots and (why := tesseract_available(settings.tesseract_cmd, settings.ocr_languages)):
        raise OcrError(why)
    texts = []
    for path, body, _ in shots:
        try:
            texts.append(ocr_image(body, cmd=settings.tesseract_cmd, languages=settings.ocr_languages,
                                   timeout=settings.ocr_timeout_seconds))
        except OcrError as exc:
            raise ReportInputError(f"screenshot {path}: {exc}") from exc

    native_id = _report_key(employee, url, shots, note)
    existing = session.scalars(select(ContentItem).where(ContentItem.platform == where,
                                                         ContentItem.native_id == native_id)).first()
    if existing is not None:
        log.info("report %s was already stored; returning it", native_id)
        return existing

    page = fetch_page(url, settings) if url else PageFetch(None, None)
    url_status = "none" if not url else ("fetched" if page.capture and not page.error else "unreachable")
    caps = [Capture(body=b, url=None, media_type=m) for _, b, m in shots]
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    evidence_ids = _store_evidence(session, archive, caps + ([page.capture] if page.capture else []))
    item = ContentItem(
        platform=where, native_id=native_id, kind="report", url=url, text="\n\n".join(t for t in texts if t),
        lang="id", evidence_id=evidence_ids[caps[0].key] if caps else
        (evidence_ids[page.capture.key] if page.capture else None),
        extra={"note": note, "screenshots": len(shots), "url_status": url_status})
    session.add(item)
    session.flush()
    report = Report(employee_id=employee.id, content_id=item.id, platform=where, url=url, url_status=url_status,
                    url_error=page.error, note=note, reported_by=actor,
                    page_evidence_id=evidence_ids[page.capture.key] if page.capture else None)
    for n, ((path, _, _), cap, text) in enumerate(zip(shots, caps, texts, strict=True)):
        report.files.append(ReportFile(position=n, evidence_id=evidence_ids[cap.key], filename=path.name[:255],
                                       ocr_text=text, ocr_lang=settings.ocr_languages))
    session.add(report)
    session.flush()
    audit.record(session, actor, "report.add", object_type="report", object_id=report.id,
                 details={"employee_id": employee.id, "platform": where, "content_id": item.id,
                          "url": redact_url(url) if url else None, "url_status": url_status,
                          "screenshots": [cap.sha256 for cap in caps]})
    return item
