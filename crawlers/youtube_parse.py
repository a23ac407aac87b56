"""YouTube Data API v3 payloads → netral records: uploads playlist entries, comment threads, replies.

Pure functions over the documented resources (developers.google.com/youtube/v3/docs: PlaylistItem,
CommentThread, Comment) so the conversion is tested offline on recorded payloads. Real answers differ
from the reference: ``contentDetails.videoPublishedAt`` is missing for a private or deleted upload
(``snippet.publishedAt`` is when it was added to the playlist); a channel without ``customUrl`` has
no handle; ``authorChannelId`` is missing for a deleted author; ``textOriginal`` is only served to the
comment's author, ``textDisplay`` (HTML) to everyone; the last page has no ``nextPageToken``.
"""

from __future__ import annotations

from typing import Any

from core.evidence import Capture
from crawlers.items import ContentItem
from crawlers.spiders.base import parse_time

PLATFORM = "youtube"


def video_content(entry: dict[str, Any], channel: dict[str, Any], capture: Capture | None = None) -> ContentItem:
    """A content item from an uploads ``playlistItem`` of ``channel`` (title and description as text)."""
    snippet = entry.get("snippet") or {}
    details = entry.get("contentDetails") or {}
    vid = str(details.get("videoId") or (snippet.get("resourceId") or {}).get("videoId"))
    channel_snippet = channel.get("snippet") or {}
    return ContentItem(
        PLATFORM, vid, kind="video", url=f"https://www.youtube.com/watch?v={vid}",
        author_id=channel.get("id"),
        author_handle=(channel_snippet.get("customUrl") or "").lstrip("@").lower() or None,
        author_name=channel_snippet.get("title"),
        text="\n\n".join(p for p in (snippet.get("title", ""), snippet.get("description", "")) if p),
        created_at=parse_time(details.get("videoPublishedAt") or snippet.get("publishedAt")), capture=capture)


def comment_author(comment: dict[str, Any]) -> tuple[str | None, str]:
    """``(author channel id, handle)`` of a Comment; the id is None for a deleted author channel."""
    snip = comment.get("snippet") or {}
    author_id = (snip.get("authorChannelId") or {}).get("value")
    return (str(author_id) if author_id else None), (snip.get("authorDisplayName") or "").lstrip("@").lower()


def comment_content(comment: dict[str, Any], video_id: str, capture: Capture | None = None) -> ContentItem:
    """A content item from a Comment (top-level or reply) on ``video_id``."""
    snip = comment.get("snippet") or {}
    author_id, handle = comment_author(comment)
    return ContentItem(
        PLATFORM, str(comment["id"]), kind="comment",
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment['id']}",
        author_id=author_id, author_handle=handle or None, author_name=snip.get("authorDisplayName"),
        text=snip.get("textOriginal") or snip.get("textDisplay") or "",
        created_at=parse_time(snip.get("publishedAt")),
        parent_native_id=snip.get("parentId") or video_id, capture=capture)


def thread_replies(thread: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The replies a CommentThread inlines (at most five) and its ``totalReplyCount``."""
    inlined = [c for c in (thread.get("replies") or {}).get("comments") or [] if isinstance(c, dict)]
    total = (thread.get("snippet") or {}).get("totalReplyCount", 0)
    return inlined, total if isinstance(total, int) and not isinstance(total, bool) else 0


def next_page(body: dict[str, Any]) -> str | None:
    """The ``nextPageToken`` of a list answer (absent or empty on the last page)."""
    token = body.get("nextPageToken")
    return token if isinstance(token, str) and token else None
