"""Facebook Graph API payloads → netral records: Page feed posts, comments, paging, the comment summary.

Pure functions over the documented nodes (developers.facebook.com/docs/graph-api/reference: Post,
Comment, the ``/comments`` edge) so the conversion is tested offline on recorded payloads. Real answers
differ from the reference: ``message`` is missing for a photo or shared-link post without text;
``from`` is left out of comments unless the token may see the commenter; ``permalink_url`` only when
asked for; ``summary.total_count`` (with ``summary=true``) counts comments the edge does not list
(hidden, restricted, from people the token cannot see); the last page has ``paging`` without ``next``.
"""

from __future__ import annotations

from typing import Any

from core.evidence import Capture
from crawlers.items import ContentItem
from crawlers.spiders.base import parse_time

PLATFORM = "facebook"


def post_content(post: dict[str, Any], page_handle: str, capture: Capture | None = None) -> ContentItem:
    """A content item from a Page feed Post (the Page's registered handle as author handle)."""
    author = post.get("from") or {}
    return ContentItem(PLATFORM, str(post["id"]), kind="post", url=post.get("permalink_url"),
                       author_id=author.get("id"), author_handle=page_handle, author_name=author.get("name"),
                       text=post.get("message", ""), created_at=parse_time(post.get("created_time")),
                       capture=capture)


def comment_author_id(comment: dict[str, Any]) -> str | None:
    """The commenter's id, None when Graph leaves ``from`` out."""
    author = comment.get("from") or {}
    return str(author["id"]) if author.get("id") else None


def comment_content(comment: dict[str, Any], post_id: str, capture: Capture | None = None) -> ContentItem:
    """A content item from a Comment on ``post_id`` (a reply points at its parent comment)."""
    author = comment.get("from") or {}
    return ContentItem(PLATFORM, str(comment["id"]), kind="comment", url=comment.get("permalink_url"),
                       author_id=comment_author_id(comment), author_name=author.get("name"),
                       text=comment.get("message", ""), created_at=parse_time(comment.get("created_time")),
                       parent_native_id=(comment.get("parent") or {}).get("id") or post_id, capture=capture)


def comments_total(body: dict[str, Any]) -> int | None:
    """``summary.total_count`` of a ``/comments`` page; None when the summary was not served."""
    total = (body.get("summary") or {}).get("total_count")
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def next_url(body: dict[str, Any]) -> str | None:
    """``paging.next`` (absent on the last page)."""
    url = (body.get("paging") or {}).get("next")
    return url if isinstance(url, str) and url else None
