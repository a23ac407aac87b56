"""AT Protocol (Bluesky) shapes → netral records: URIs, DID documents, repo records and post views.

Pure functions, tested on documented payloads; the spider (:mod:`crawlers.spiders.bluesky`) does the
fetching. Reference: the ``app.bsky.feed.*`` and ``com.atproto.repo.*`` lexicons.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.evidence import Capture
from core.models.enums import Platform
from crawlers.items import ContentItem
from crawlers.spiders.base import parse_time

PLATFORM = Platform.BLUESKY.value
POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"


def split_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` → ``(did, collection, rkey)`` (empty parts when absent)."""
    parts = uri.removeprefix("at://").split("/")
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


_S32 = "234567abcdefghijklmnopqrstuvwxyz"


def tid_time(rkey: str) -> datetime | None:
    """When a record key that is a TID was minted (TIDs sort in time order; repo listings follow them)."""
    if len(rkey) != 13 or any(c not in _S32 for c in rkey):
        return None
    value = 0
    for c in rkey:
        value = value * 32 + _S32.index(c)
    return datetime.fromtimestamp((value >> 10) / 1_000_000, UTC)


def post_url(web_url: str, uri: str, handle: str | None = None) -> str:
    """The human-readable link of a post on the web app."""
    did, _, rkey = split_uri(uri)
    return f"{web_url.rstrip('/')}/profile/{handle or did}/post/{rkey}"


def pds_endpoint(did_doc: dict[str, Any]) -> str | None:
    """The PDS named by a DID document (service ``#atproto_pds``), without a trailing slash."""
    for service in did_doc.get("service") or []:
        if isinstance(service, dict) and (service.get("id", "").endswith("#atproto_pds")
                                          or service.get("type") == "AtprotoPersonalDataServer"):
            endpoint = service.get("serviceEndpoint")
            if isinstance(endpoint, str):
                return endpoint.rstrip("/")
    return None


def handle_of(did_doc: dict[str, Any]) -> str | None:
    """The handle a DID document claims (``alsoKnownAs: at://handle``)."""
    for aka in did_doc.get("alsoKnownAs") or []:
        if isinstance(aka, str) and aka.startswith("at://"):
            return aka.removeprefix("at://")
    return None


def quoted_uri(record: dict[str, Any]) -> str | None:
    """The post a record quotes (``app.bsky.embed.record`` or ``recordWithMedia``), if any."""
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type", "")
    inner = embed.get("record")
    if kind.startswith("app.bsky.embed.recordWithMedia") and isinstance(inner, dict):
        inner = inner.get("record")
    if kind.startswith("app.bsky.embed.record") and isinstance(inner, dict):
        uri = inner.get("uri")
        if isinstance(uri, str) and split_uri(uri)[1] == POST:
            return uri
    return None


def parent_uri(record: dict[str, Any]) -> str | None:
    """The post a reply answers (``reply.parent.uri``), if the record is a reply."""
    reply = record.get("reply")
    if isinstance(reply, dict) and isinstance(reply.get("parent"), dict):
        uri = reply["parent"].get("uri")
        return uri if isinstance(uri, str) else None
    return None


def post_kind(record: dict[str, Any]) -> str:
    """``comment`` for a reply, ``quote`` for a quote post, else ``post``."""
    if parent_uri(record):
        return "comment"
    if quoted_uri(record):
        return "quote"
    return "post"


def post_content(uri: str, record: dict[str, Any], web_url: str, *, handle: str | None = None,
                 name: str | None = None, capture: Capture | None = None,
                 extra: dict[str, Any] | None = None) -> ContentItem:
    """A content item from an ``app.bsky.feed.post`` record (from a repo or inside a post view)."""
    did = split_uri(uri)[0]
    langs = record.get("langs")
    text = record.get("text")
    return ContentItem(
        platform=PLATFORM, native_id=uri, kind=post_kind(record), url=post_url(web_url, uri, handle),
        author_id=did, author_handle=handle, author_name=name, text=text if isinstance(text, str) else "",
        lang=langs[0][:16] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None,
        created_at=parse_time(record.get("createdAt")), parent_native_id=parent_uri(record) or quoted_uri(record),
        extra=dict(extra or {}), capture=capture)


def view_content(view: dict[str, Any], web_url: str, capture: Capture | None = None,
                 extra: dict[str, Any] | None = None) -> ContentItem | None:
    """A content item from an AppView ``postView``; None when the view is not a usable post."""
    uri, record, author = view.get("uri"), view.get("record"), view.get("author")
    if not isinstance(uri, str) or not isinstance(record, dict) or not isinstance(author, dict):
        return None
    item = post_content(uri, record, web_url, handle=author.get("handle"), name=author.get("displayName"),
                        capture=capture, extra=extra)
    if isinstance(view.get("cid"), str):
        item.extra["cid"] = view["cid"]
    return item


def stub_content(uri: str, web_url: str, capture: Capture | None = None) -> ContentItem:
    """Placeholder for a post the AppView did not return (deleted, taken down, not yet indexed)."""
    return ContentItem(platform=PLATFORM, native_id=uri, kind="post", url=post_url(web_url, uri),
                       author_id=split_uri(uri)[0], extra={"unavailable": True}, capture=capture, stub=True)
