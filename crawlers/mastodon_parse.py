"""Mastodon API entities → netral records: accounts (``acct``), statuses, Link-header paging.

Pure functions over the documented entities (docs.joinmastodon.org/entities/Status, /Account):
a status's ``uri`` is its global ActivityPub id (the natural key: the same status seen through two
instances has two local ``id`` s but one ``uri``); ``content`` is HTML; ``reblog`` embeds the boosted
status; ``quote.quoted_status`` (Mastodon ≥ 4.5) embeds the quoted one.
"""

from __future__ import annotations

import html
import re
from typing import Any

from w3lib.html import remove_tags, replace_tags

from core.evidence import Capture
from core.models.enums import Platform
from crawlers.items import ContentItem
from crawlers.spiders.base import parse_time

PLATFORM = Platform.MASTODON.value
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([a-z]+)"?')


def split_acct(acct: str) -> tuple[str, str]:
    """``user@domain`` → ``(user, domain)`` (a handle must name its instance)."""
    user, _, domain = acct.lstrip("@").partition("@")
    return user, domain


def full_acct(account: dict[str, Any], instance: str) -> str:
    """An account's global ``user@domain`` (the API gives local accounts as bare ``user``)."""
    acct = str(account.get("acct") or account.get("username") or "")
    return (acct if "@" in acct else f"{acct}@{instance}").lower()


def next_link(link_header: str | None) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, if any."""
    for url, rel in _LINK.findall(link_header or ""):
        if rel == "next":
            return str(url)
    return None


def html_text(content: str | None) -> str:
    """Plain text of a status's HTML content (paragraphs and line breaks kept as new lines)."""
    if not content:
        return ""
    text = replace_tags(re.sub(r"(?i)<br\s*/?>|</p>\s*<p>", "\n", content), "")
    return html.unescape(remove_tags(text)).strip()


def status_kind(status: dict[str, Any]) -> str:
    """``comment`` for a reply, ``quote`` for a quote post, else ``post`` (reblogs are not content)."""
    if status.get("in_reply_to_id"):
        return "comment"
    if quoted_status(status) is not None:
        return "quote"
    return "post"


def quoted_status(status: dict[str, Any]) -> dict[str, Any] | None:
    """The status a quote post quotes, when the quote is accepted and visible."""
    quote = status.get("quote")
    if isinstance(quote, dict) and isinstance(quote.get("quoted_status"), dict):
        return dict(quote["quoted_status"])
    return None


def status_content(status: dict[str, Any], instance: str, capture: Capture | None = None,
                   extra: dict[str, Any] | None = None) -> ContentItem | None:
    """A content item from a Status entity as served by ``instance``; None if it is not usable."""
    uri, account = status.get("uri"), status.get("account")
    if not isinstance(uri, str) or not isinstance(account, dict):
        return None
    acct = full_acct(account, instance)
    lang = status.get("language")
    return ContentItem(
        platform=PLATFORM, native_id=uri, kind=status_kind(status), url=status.get("url") or uri,
        author_id=acct, author_handle=acct, author_name=account.get("display_name") or None,
        text=html_text(status.get("content")), lang=lang[:16] if isinstance(lang, str) else None,
        created_at=parse_time(status.get("created_at")),
        extra={"id": str(status.get("id")), "instance": instance, **(extra or {})}, capture=capture)


def stub_content(status_id: str, instance: str, capture: Capture | None = None) -> ContentItem:
    """Placeholder for a status the instance no longer serves (deleted or hidden)."""
    return ContentItem(platform=PLATFORM, native_id=f"https://{instance}/statuses/{status_id}", kind="post",
                       extra={"id": status_id, "instance": instance, "unavailable": True}, capture=capture,
                       stub=True)
