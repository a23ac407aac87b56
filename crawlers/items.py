"""The items every spider yields — the contract between spiders and the item pipelines.

They are the platform-neutral records of :mod:`core.ingest.records` (dataclasses; Scrapy handles
dataclass items natively), re-exported under item names:

- :class:`ContentItem` — a post / comment / video / report, with its ``capture`` (raw response).
- :class:`InteractionItem` — what a *registered* account did; embeds ``target`` (and ``own`` for a
  comment or quote) content, so both ends are stored together. ``actor`` is an :class:`AccountRef`
  (platform id and/or handle); interactions of unregistered actors are skipped by the store.
- :class:`DeletionItem` — content found gone (marked deleted, rows and evidence kept).
- :class:`AccountIdItem` — a registered handle resolved to its platform id.
- :class:`CrawlErrorItem` — a malformed body or a failed request; ``capture`` keeps the body.
- :class:`CursorItem` — advance a stream's cursor; yield it only after every item it covers.
- :class:`RecordBatch` — what the pipelines actually receive from a callback (records in order).

Natural keys make re-delivery harmless: ``(platform, native_id)``; for likes / shares use
:func:`engagement_key` so both directions of watching produce the same key.
:func:`capture_of` turns a Scrapy response into the :class:`~core.evidence.Capture` to attach.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.http import Response

from core.evidence import Capture
from core.ingest.records import AccountIdRecord as AccountIdItem
from core.ingest.records import AccountRef, Record, engagement_key
from core.ingest.records import ContentRecord as ContentItem
from core.ingest.records import CrawlErrorRecord as CrawlErrorItem
from core.ingest.records import CursorRecord as CursorItem
from core.ingest.records import DeletionRecord as DeletionItem
from core.ingest.records import InteractionRecord as InteractionItem
from core.models.base import utcnow

__all__ = [
    "AccountIdItem",
    "AccountRef",
    "Capture",
    "ContentItem",
    "CrawlErrorItem",
    "CursorItem",
    "DeletionItem",
    "InteractionItem",
    "Record",
    "RecordBatch",
    "capture_of",
    "engagement_key",
]


@dataclass
class RecordBatch:
    """The records one callback yielded, in order, as one Scrapy item.

    Built by :class:`crawlers.middlewares.BatchRecordsMiddleware` (spiders keep yielding single
    records): Scrapy's fixed cost per item is paid once per response instead of once per record.
    Every pipeline accepts both single records and batches.
    """

    records: list[Record]


def capture_of(response: Response) -> Capture:
    """The raw response as evidence: body, URL, status, response headers (filtered when stored)."""
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    media_type = headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()
    return Capture(body=response.body, url=response.url, status=response.status, headers=headers,
                   media_type=media_type or "application/octet-stream", fetched_at=utcnow())
