"""What a collector hands to the store: plain, platform-neutral records with natural keys.

Every collector (the Scrapy spiders of every platform, report intake) produces these; the store
(:mod:`core.ingest.store`) upserts them idempotently. A record's natural key is
``(platform, native_id)`` — re-delivering the same record is harmless. Choose ``native_id`` so that
the same thing seen two ways gets the same key (a Bluesky like found in the liker's repo and in
``getLikes`` must both be ``"<actor DID> like <post URI>"``; see :func:`engagement_key`).

Interactions embed their content (``target``, ``own``): storing an interaction always stores both
ends with it, so an interaction can never point at content that was not collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.evidence import Capture


def engagement_key(actor_id: str, kind: str, target_native_id: str) -> str:
    """The natural key of a like / share that the platform gives no id of its own in every view."""
    return f"{actor_id} {kind} {target_native_id}"


@dataclass
class AccountRef:
    """Who acted: matched against registered ``SocialAccount`` rows by platform id, else by handle."""

    platform_id: str | None = None
    handle: str | None = None


@dataclass
class ContentRecord:
    """A post, comment, video or report as the platform shows it.

    ``stub=True`` means the platform did not return the content (deleted, private, unreachable): the
    row is created if missing so the interaction keeps its target, but never overwrites what is known.
    """

    platform: str
    native_id: str
    kind: str = "post"
    url: str | None = None
    author_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    text: str = ""
    lang: str | None = None
    created_at: datetime | None = None
    parent_native_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    capture: Capture | None = None
    stub: bool = False


@dataclass
class InteractionRecord:
    """What a registered account did with a piece of content (``kind``: an ``InteractionKind``).

    ``target`` is the content acted on (the liked / shared / replied-to / quoted post, or the post
    itself for ``post``); ``own`` is the actor's own text for a comment or quote.
    """

    platform: str
    native_id: str
    kind: str
    actor: AccountRef
    target: ContentRecord | None = None
    own: ContentRecord | None = None
    target_account: str | None = None
    occurred_at: datetime | None = None
    capture: Capture | None = None


@dataclass
class DeletionRecord:
    """Content (or an interaction) found gone from the platform; its rows and evidence are kept."""

    platform: str
    native_id: str
    what: str = "content"  # "content" or "interaction"
    observed_at: datetime | None = None
    capture: Capture | None = None


@dataclass
class AccountIdRecord:
    """A handle resolved to the platform's stable id (DID, numeric id) for registered accounts."""

    platform: str
    handle: str
    platform_id: str


@dataclass
class CrawlErrorRecord:
    """A response that could not be used; the crawl went on. ``capture`` keeps the raw body."""

    platform: str
    kind: str
    message: str
    url: str | None = None
    capture: Capture | None = None


@dataclass
class CursorRecord:
    """Advance the cursor of one stream of one account; emit it only after the records it covers."""

    platform: str
    subject: str
    stream: str
    value: str


Record = (
    ContentRecord | InteractionRecord | DeletionRecord | AccountIdRecord | CrawlErrorRecord | CursorRecord
)
