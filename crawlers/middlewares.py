"""Downloader middleware shared by every spider: retries with backoff that honour the server's limits.

Scrapy's own RetryMiddleware retries at once; an API that answers ``429`` wants the client to wait. This
one waits before each retry — the server's word first (``Retry-After`` in seconds or as an HTTP date,
``RateLimit-Reset`` / ``X-RateLimit-Reset`` / X's ``x-rate-limit-reset`` as delta or epoch seconds),
otherwise exponential backoff (``NETRAL_BACKOFF_SECONDS`` × 2^attempt), capped by
``NETRAL_BACKOFF_MAX_SECONDS`` — and holds back every other request to the same host meanwhile, so a
rate-limited host is not hammered by the requests already queued. Waits use ``asyncio`` (the asyncio
reactor is configured in :mod:`crawlers.settings`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object

from core.evidence import redact_url
from crawlers.items import RecordBatch

log = logging.getLogger(__name__)

#: Headers that say when the server accepts requests again, in order of precedence.
RESET_HEADERS = ("retry-after", "ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset")


def server_delay(response: Response, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from its rate-limit headers; None if it says nothing."""
    now = time.time() if now is None else now
    for name in RESET_HEADERS:
        raw = response.headers.get(name)
        if not raw:
            continue
        value = raw.decode("latin-1").strip()
        try:
            number = float(value)
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - now)
            except (TypeError, ValueError):
                continue
        # a reset header holds either a delta in seconds or a Unix time (X, Bluesky)
        return max(0.0, number - now) if number > 1_000_000_000 else max(0.0, number)
    return None


class PoliteRetryMiddleware:
    """Retry 429 / 5xx / timeouts after the server's delay or an exponential backoff; pause the host.

    Replaces Scrapy's RetryMiddleware and reads the same settings (``RETRY_TIMES``,
    ``RETRY_HTTP_CODES``, ``RETRY_EXCEPTIONS``, ``RETRY_PRIORITY_ADJUST``, the ``dont_retry`` and
    ``max_retry_times`` request meta keys).
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in settings.getlist("RETRY_HTTP_CODES")}
        self.priority_adjust = settings.getint("RETRY_PRIORITY_ADJUST")
        self.exceptions_to_retry = tuple(load_object(x) if isinstance(x, str) else x
                                         for x in settings.getlist("RETRY_EXCEPTIONS"))
        self.base = settings.getfloat("NETRAL_BACKOFF_SECONDS", 1.0)
        self.cap = settings.getfloat("NETRAL_BACKOFF_MAX_SECONDS", 300.0)
        self.paused_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRetryMiddleware:
        return cls(crawler)

    def backoff(self, request: Request) -> float:
        """Exponential delay for the next attempt of ``request``."""
        return float(min(self.cap, self.base * (2 ** request.meta.get("retry_times", 0))))

    async def process_request(self, request: Request) -> None:
        wait = self.paused_until.get(urlsplit(request.url).netloc, 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = server_delay(response)
        delay = min(self.cap, asked) if asked is not None else self.backoff(request)
        retry = self.retry_request(request, f"http {response.status}", delay)
        if retry is None:
            return response
        if response.status == 429 or asked is not None:
            host = urlsplit(request.url).netloc
            self.paused_until[host] = max(self.paused_until.get(host, 0.0), time.monotonic() + delay)
        await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        delay = self.backoff(request)
        retry = self.retry_request(request, type(exception).__name__, delay)
        if retry is None:
            return None
        await asyncio.sleep(delay)
        return retry

    def retry_request(self, request: Request, reason: str, delay: float) -> Request | None:
        """A copy of ``request`` for the next attempt, or None when its retries are used up."""
        attempt = request.meta.get("retry_times", 0) + 1
        limit = request.meta.get("max_retry_times", self.max_retry_times)
        stats = self.crawler.stats
        url = redact_url(request.url)  # logs never show a key that travels in a query string
        if attempt > limit:
            log.warning("gave up on %s %s after %d retries: %s", request.method, url, attempt - 1, reason)
            if stats is not None:
                stats.inc_value("retry/max_reached")
            return None
        log.info("retrying %s %s in %.1fs (attempt %d): %s", request.method, url, delay, attempt, reason)
        retry = request.copy()
        retry.meta["retry_times"] = attempt
        retry.dont_filter = True
        retry.priority = request.priority + request.meta.get("priority_adjust", self.priority_adjust)
        if stats is not None:
            stats.inc_value("retry/count")
            stats.inc_value(f"retry/reason_count/{reason}")
        return retry


class BatchRecordsMiddleware:
    """Spider middleware: pass requests on at once, gather a callback's records into one RecordBatch.

    Placed closest to the engine, so spiders (and the other middlewares) still see single records;
    the batch keeps their order, so a stream's cursor still follows the records it covers.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BatchRecordsMiddleware:
        return cls()

    def process_spider_output(self, response: Response | None, result: Iterable[Any]) -> Iterator[Any]:
        records: list[Any] = []
        for out in result:
            if isinstance(out, Request):
                yield out
            elif isinstance(out, RecordBatch):
                records.extend(out.records)
            else:
                records.append(out)
        if records:
            yield RecordBatch(records)

    async def process_spider_output_async(self, response: Response | None,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        records: list[Any] = []
        async for out in result:
            if isinstance(out, Request):
                yield out
            elif isinstance(out, RecordBatch):
                records.extend(out.records)
            else:
                records.append(out)
        if records:
            yield RecordBatch(records)
