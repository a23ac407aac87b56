"""Item pipelines: validate → deduplicate → archive evidence → store through ``core``.

Items are single records or :class:`~crawlers.items.RecordBatch` es (one per callback); a rejected
record is dropped from its batch, not the whole batch.

Each is built by ``from_crawler`` (no globals) and works for every platform's items
(:mod:`crawlers.items`). The last one, :class:`crawlers.storing.StorePipeline`, buffers records and
writes a batch per transaction (:func:`core.ingest.store.write_batch`): records and the cursors that
follow them commit together, so a crawl killed at any point loses nothing that a rerun will not fetch
again, and duplicates nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.evidence import Capture, EvidenceArchive, redact_url
from core.ingest.records import (
    AccountIdRecord,
    ContentRecord,
    CrawlErrorRecord,
    CursorRecord,
    DeletionRecord,
    InteractionRecord,
    Record,
)
from core.models.enums import InteractionKind, Platform
from crawlers.config import netral_settings
from crawlers.items import RecordBatch
from crawlers.logredact import describe

log = logging.getLogger(__name__)

_PLATFORMS = {p.value for p in Platform}
_KINDS = {k.value for k in InteractionKind}
_RECORD_TYPES = (ContentRecord, InteractionRecord, DeletionRecord, AccountIdRecord, CrawlErrorRecord, CursorRecord)


def _nested(item: Record) -> list[Any]:
    if isinstance(item, InteractionRecord):
        return [item, *(c for c in (item.target, item.own) if c is not None)]
    return [item]


def _filtered(item: Any, reason_of: Any, stats: Any) -> Any:
    """``item`` without the records ``reason_of`` rejects: a single record is dropped (DropItem),
    a batch loses only its rejected records (each logged and counted)."""
    if not isinstance(item, RecordBatch):
        reason = reason_of(item)
        if reason:
            raise DropItem(reason)
        return item
    kept = []
    reasons = set()
    for rec in item.records:
        reason = reason_of(rec)
        if reason is None:
            kept.append(rec)
            continue
        reasons.add(reason.split(" ")[0])
        level = logging.DEBUG if reason.startswith("duplicate") else logging.WARNING
        log.log(level, "dropped %s: %s", describe(rec), redact_url(reason))
        if stats is not None:
            stats.inc_value(f"netral/dropped/{reason.split(' ')[0]}")
    if not kept:
        raise DropItem(f"{'duplicate' if reasons == {'duplicate'} else 'invalid'}: no record left in the batch")
    item.records = kept
    return item


def _records(item: Any) -> list[Any]:
    return item.records if isinstance(item, RecordBatch) else [item]


class ValidatePipeline:
    """Drop records that would corrupt the store: unknown platform or kind, empty keys, naive times."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return _filtered(item, self.problem, self.stats)

    @staticmethod
    def problem(item: Any) -> str | None:
        """Why ``item`` cannot be stored, or None."""
        if not isinstance(item, _RECORD_TYPES):
            return f"invalid: not a netral record: {type(item).__name__}"
        for rec in _nested(item):
            if rec.platform not in _PLATFORMS:
                return f"invalid: unknown platform {rec.platform!r}"
            for name in ("native_id", "subject", "stream", "handle", "platform_id"):
                if hasattr(rec, name) and not getattr(rec, name):
                    return f"invalid: {type(rec).__name__} without {name}"
            for name in ("created_at", "occurred_at", "observed_at"):
                value = getattr(rec, name, None)
                if isinstance(value, datetime) and value.tzinfo is None:
                    return f"invalid: {type(rec).__name__}.{name} is a naive datetime"
        if isinstance(item, InteractionRecord):
            if item.kind not in _KINDS:
                return f"invalid: unknown interaction kind {item.kind!r}"
            if item.target is None and not item.target_account:
                return f"invalid: interaction {item.native_id} has no target"
            if not (item.actor.platform_id or item.actor.handle):
                return f"invalid: interaction {item.native_id} has no actor"
        return None


class DedupPipeline:
    """Drop records already seen in this run (the store is idempotent anyway; this saves writes).

    Content is keyed with its text, stub flag and extra, so a fuller copy of it still goes through.
    Cursors and errors are never dropped.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.seen: set[tuple[Any, ...]] = set()
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    @staticmethod
    def key(item: Record) -> tuple[Any, ...] | None:
        if isinstance(item, ContentRecord):
            extra = json.dumps(item.extra, sort_keys=True, default=str)
            return ("c", item.platform, item.native_id, item.text, item.stub, extra)
        if isinstance(item, InteractionRecord):
            return ("i", item.platform, item.native_id)
        if isinstance(item, DeletionRecord):
            return ("d", item.platform, item.native_id, item.what)
        if isinstance(item, AccountIdRecord):
            return ("a", item.platform, item.handle, item.platform_id)
        return None

    def process_item(self, item: Any) -> Any:
        return _filtered(item, self.seen_before, self.stats)

    def seen_before(self, item: Record) -> str | None:
        key = self.key(item)
        if key is None:
            return None
        if key in self.seen:
            return f"duplicate {key[0]} {key[2]}"
        self.seen.add(key)
        return None


class EvidencePipeline:
    """Write each raw payload to the content-addressed archive (before any row names it)."""

    def __init__(self, archive: EvidenceArchive) -> None:
        self.archive = archive
        self.written: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidencePipeline:
        return cls(EvidenceArchive(netral_settings(crawler.settings).resolved_evidence_dir))

    def process_item(self, item: Any) -> Any:
        for record in _records(item):
            for rec in _nested(record):
                cap: Capture | None = getattr(rec, "capture", None)
                if cap is not None and cap.sha256 not in self.written:
                    self.archive.put(cap.body, cap.sha256, durable=False)  # synced before the batch commits
                    self.written.add(cap.sha256)
        return item
