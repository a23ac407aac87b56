"""What the evidence viewer shows: the archived post as a card, a report's screenshots with their OCR text,
and every time the case knows (the interaction's own time, when netral first saw it, each file's fetch).

Everything is drawn from what netral archived — the content row and the archived payload's JSON — and
never from the live platform: the page loads no remote image, script or frame (the CSP forbids it too).
Media thumbnails are shown only when their bytes are in the archive (an ``evidence`` row whose
``source_url`` is the media URL); otherwise the card says how many media items were not archived.

Reading evidence goes through :func:`evidence_files` alone, so when evidence gains a capture row per
request (several files per item) only that function changes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import Case, ContentItem, Evidence, Incident, Report, ReportFile

log = logging.getLogger(__name__)

#: Payloads larger than this are not parsed for the card (the card then shows the stored fields only).
MAX_PARSE_BYTES = 4 * 1024 * 1024
#: Image types the viewer shows inline (anything else is a download).
INLINE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
#: Count keys of the platforms' APIs → our label key.
_COUNT_KEYS = {
    "favourites_count": "likes", "likeCount": "likes", "like_count": "likes", "favorite_count": "likes",
    "reblogs_count": "shares", "repostCount": "shares", "retweet_count": "shares", "share_count": "shares",
    "replies_count": "replies", "replyCount": "replies", "reply_count": "replies", "commentCount": "replies",
    "comment_count": "replies", "quoteCount": "quotes", "quote_count": "quotes", "viewCount": "views",
    "view_count": "views", "impression_count": "views",
}
_MEDIA_URL_KEYS = ("preview_url", "thumb", "thumbnail", "thumbnail_url", "url", "fullsize", "media_url_https")
_ID_KEYS = ("id", "uri", "id_str", "post_id", "videoId")


@dataclass
class PostCard:
    """The archived post as the card draws it."""

    item: ContentItem
    counts: list[tuple[str, int]] = field(default_factory=list)
    media: list[Evidence] = field(default_factory=list)
    media_not_archived: int = 0
    parsed: bool = False


@dataclass
class ReportShot:
    """One screenshot of a report, with its OCR text."""

    file: ReportFile
    evidence: Evidence
    inline: bool


@dataclass
class EvidenceView:
    """The viewer's context for one case."""

    card: PostCard | None
    report: Report | None
    shots: list[ReportShot]
    files: list[Evidence]


def evidence_files(db: Session, item: ContentItem | None) -> list[Evidence]:
    """Every archived file of a content item (today its one capture), oldest first."""
    if item is None or item.evidence_id is None:
        return []
    row = db.get(Evidence, item.evidence_id)
    return [row] if row is not None else []


def _find(node: Any, native_id: str, depth: int = 0) -> dict[str, Any] | None:
    """The dict in a payload that carries ``native_id`` under an id key (depth-limited)."""
    if depth > 12:
        return None
    if isinstance(node, dict):
        if any(str(node.get(k)) == native_id for k in _ID_KEYS if node.get(k) is not None):
            return node
        children: Any = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, native_id, depth + 1)
        if found is not None:
            return found
    return None


def _counts(node: dict[str, Any]) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        cur, depth = stack.pop()
        if not isinstance(cur, dict) or depth > 2:
            continue
        for key, value in cur.items():
            if key in _COUNT_KEYS and isinstance(value, int | str) and str(value).isdigit():
                found.setdefault(_COUNT_KEYS[key], int(value))
            elif key in ("public_metrics", "statistics", "counts", "stats") and isinstance(value, dict):
                stack.append((value, depth + 1))
    order = ("likes", "shares", "replies", "quotes", "views")
    return [(k, found[k]) for k in order if k in found]


def _media_urls(node: dict[str, Any]) -> list[str]:
    urls: list[str] = []
    for key in ("media_attachments", "images", "media", "attachments", "extended_entities", "embed"):
        value = node.get(key)
        stack: list[Any] = [value]
        while stack:
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(reversed(cur))
            elif isinstance(cur, dict):
                url = next((cur[k] for k in _MEDIA_URL_KEYS if isinstance(cur.get(k), str)), None)
                if url and url not in urls and ("image" in str(cur.get("type", "image")) or "thumb" in cur
                                                or "preview_url" in cur):
                    urls.append(url)
                else:
                    stack.extend(v for v in cur.values() if isinstance(v, dict | list))
    return urls[:8]


def _payload(archive: EvidenceArchive, evidence: Evidence) -> Any:
    if evidence.size > MAX_PARSE_BYTES or "json" not in evidence.media_type:
        return None
    try:
        return json.loads((archive.root / evidence.stored_path).read_bytes())
    except (OSError, ValueError) as exc:
        log.info("evidence %s not parsed for the card: %s", evidence.id, type(exc).__name__)
        return None


def post_card(db: Session, archive: EvidenceArchive, item: ContentItem) -> PostCard:
    """The card of ``item``: stored fields, plus counts and archived media from its payload."""
    card = PostCard(item)
    for evidence in evidence_files(db, item):
        node = _find(_payload(archive, evidence), item.native_id)
        if node is None:
            continue
        card.parsed = True
        card.counts = card.counts or _counts(node)
        urls = _media_urls(node)
        archived = {e.source_url: e for e in db.scalars(select(Evidence).where(Evidence.source_url.in_(urls)))
                    if e.media_type in INLINE_IMAGES} if urls else {}
        card.media = [archived[u] for u in urls if u in archived]
        card.media_not_archived = len(urls) - len(card.media)
    return card


def load(db: Session, incident: Incident, archive: EvidenceArchive) -> EvidenceView:
    """The viewer for one incident of a case (what the case page already may show)."""
    item = incident.target_content
    report = None
    shots: list[ReportShot] = []
    if item is not None and item.kind == "report":
        report = db.scalars(select(Report).where(Report.content_id == item.id)).first()
        if report is not None:
            shots = [ReportShot(f, f.evidence, f.evidence.media_type in INLINE_IMAGES) for f in report.files]
    card = post_card(db, archive, item) if item is not None and item.kind != "report" else None
    return EvidenceView(card=card, report=report, shots=shots, files=evidence_files(db, item))


def viewable_ids(db: Session, case: Case, archive: EvidenceArchive) -> set[int]:
    """Evidence ids the viewer may show inline for ``case`` (its incidents' cards' media and reports' shots)."""
    ids: set[int] = set()
    for incident in case.incidents:
        view = load(db, incident, archive)
        ids |= {s.evidence.id for s in view.shots if s.inline}
        if view.card is not None:
            ids |= {e.id for e in view.card.media}
    return ids

