"""The last item pipeline: buffer records and store them a batch per transaction, in a writer thread.

Why a thread: the database round trips of a batch (PostgreSQL in production) would otherwise stop the
reactor — no download, no parsing — for as long as the batch takes. The writer thread stores batch *n*
while the reactor downloads and parses what goes into batch *n + 1*; the driver waits outside the GIL.

Order and durability are those of a synchronous store: one batch in flight at a time, batches written in
the order they were cut, each in one transaction with the cursors that follow its records
(:func:`core.ingest.store.write_batch`). A batch whose write fails is put back in front of the buffer and
retried with the next one; the crawl run's cursor never passes what is not committed, so a crash or a
kill loses nothing a rerun will not fetch again. Back-pressure: when a batch is due while the previous
one is still being written, the item waits (Scrapy stops taking responses once its scraper slot is full).
The crawl runs on the asyncio reactor (``TWISTED_REACTOR`` in :mod:`crawlers.settings`): the writer is
``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.db import engine_from_settings, make_session_factory, session_scope
from core.evidence import EvidenceArchive
from core.ingest import runs
from core.ingest.planner import PlannerStatistics
from core.ingest.records import Record
from core.ingest.store import BatchResult, write_batch
from core.settings import Settings
from crawlers.config import netral_settings
from crawlers.items import RecordBatch
from crawlers.spiders.base import run_label

log = logging.getLogger(__name__)

_COUNTED = ("content", "interactions", "deletions", "errors", "cursors", "skipped_actors",
            "new", "changed", "unchanged")


class StorePipeline:
    """Buffer records, store them a batch per transaction in a writer thread; open and close the crawl run."""

    def __init__(self, crawler: Crawler, settings: Settings) -> None:
        self.crawler = crawler
        self.settings = settings
        self.archive = EvidenceArchive(settings.resolved_evidence_dir)
        self.batch_size = crawler.settings.getint("NETRAL_BATCH_SIZE", settings.crawl_batch_size)
        self.flush_seconds = crawler.settings.getfloat("NETRAL_FLUSH_SECONDS", settings.crawl_flush_seconds)
        self.buffer: list[Record] = []
        self.last_flush = time.monotonic()
        self.writing: asyncio.Future[None] | None = None  # the batch in flight, if any
        self.engine: Engine | None = None
        self.sessions: sessionmaker[Session] | None = None
        self.run_id: int | None = None
        self.cpu_at_open = 0.0
        self.planner = PlannerStatistics()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler, netral_settings(crawler.settings))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.cpu_at_open = time.process_time()
        self.engine = engine_from_settings(self.settings)
        self.sessions = make_session_factory(self.engine)
        spider = self.crawler.spider
        with session_scope(self.sessions) as session:
            label = run_label(getattr(spider, "name", "?"), getattr(spider, "shard", None))
            tag = getattr(spider, "tag", None)
            run = runs.start_run(session, getattr(spider, "platform", "?"), label,
                                 since=getattr(spider, "since", None),
                                 election_slug=getattr(spider, "election", None), tag=tag)
            self.run_id = run.id
        if tag and self.crawler.stats is not None:  # kept when the run's counters replace its stats
            self.crawler.stats.set_value(runs.TAG_STAT, tag)
        if spider is not None:
            spider.run_id = self.run_id  # type: ignore[attr-defined]

    async def process_item(self, item: Any) -> Any:
        self.buffer.extend(item.records if isinstance(item, RecordBatch) else [item])
        if self._due():
            await self._writer_free()  # back-pressure: one batch in flight
            if self._due():  # (another item's wait may have handed the buffer over first)
                self._start()
        return item

    async def close_spider(self) -> None:
        """Wait for the batch in flight, then store the rest (a failure here fails the close, loudly)."""
        await self._writer_free()
        self._write(self._take())

    async def _writer_free(self) -> None:
        """Return once no batch is being written (another waiter may start the next one first: wait again)."""
        while self.writing is not None and not self.writing.done():
            await asyncio.wait([self.writing])

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Close the run with Scrapy's finish reason (sent after the pipelines closed)."""
        if self.sessions is None or self.run_id is None:
            return
        if self.crawler.stats is not None:  # the crawl's own CPU time, without the process start-up
            self.crawler.stats.set_value("netral/cpu_seconds", round(time.process_time() - self.cpu_at_open, 3))
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        status = "finished" if reason == "finished" else reason[:32]
        if status == "finished" and stats.get("netral/errors", 0):
            status = "finished_with_errors"  # some streams failed: their crawl errors say why
        if self.buffer:  # records the database refused to the end: the run did not do its job
            log.error("%d records could not be stored; the next run fetches them again", len(self.buffer))
            status = "store_failed"
        with session_scope(self.sessions) as session:
            runs.finish_run(session, self.run_id, status, stats)
        if self.engine is not None:
            self.engine.dispose()

    # -- batches ---------------------------------------------------------------------------------
    def _due(self) -> bool:
        return len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.flush_seconds

    def _take(self) -> list[Record]:
        self.last_flush = time.monotonic()
        batch, self.buffer = self.buffer, []
        return batch

    def _start(self) -> None:
        """Hand the buffer to the writer thread (the caller made sure no batch is in flight)."""
        batch = self._take()
        if batch:
            self.writing = asyncio.ensure_future(self._write_in_thread(batch))

    async def _write_in_thread(self, batch: list[Record]) -> None:
        """Store ``batch`` in the writer thread; back on the loop, count it or keep it for the next write."""
        try:
            result = await asyncio.to_thread(self._store, batch)
        except Exception as exc:  # any failure: the records stay buffered, the next write retries them
            log.error("storing a batch of %d records failed; kept for the next batch: %s", len(batch), exc)
            self.buffer[:0] = batch
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("netral/batch_failures")
            return
        self._count(result)

    def _write(self, batch: list[Record]) -> None:
        """Store ``batch`` now, on this thread (the close of the crawl); kept in the buffer if that fails."""
        if not batch:
            return
        try:
            self._count(self._store(batch))
        except Exception:
            self.buffer[:0] = batch
            raise

    def _store(self, batch: list[Record]) -> BatchResult:
        """One transaction; runs in the writer thread (its own session, nothing shared with the reactor)."""
        assert self.sessions is not None and self.run_id is not None
        self.archive.sync()  # the evidence files are on disk before any committed row names them
        with session_scope(self.sessions) as session:
            result = write_batch(session, self.archive, batch, self.run_id)
            runs.add_stored(session, self.run_id, result.stored)
        with session_scope(self.sessions) as session:
            self.planner.after_batch(session, result.stored)
        log.debug("stored batch of %d records", len(batch))
        return result

    def _count(self, result: BatchResult) -> None:
        stats = self.crawler.stats
        if stats is not None:
            for name in _COUNTED:
                stats.inc_value(f"netral/{name}", getattr(result, name))
            stats.inc_value("netral/batches")
