"""Honour rate-limit headers *before* a 429: spend only the requests the server says remain.

:class:`crawlers.middlewares.PoliteRetryMiddleware` waits after a ``429``. APIs such as X also announce
their window on every answer (``x-rate-limit-limit`` / ``-remaining`` / ``-reset``), per endpoint. This
middleware keeps that budget per endpoint (host + path with numeric ids folded, ``/2/users/:id/tweets``):
each request spends one, each answer corrects the count (minus the requests still in flight), and when
none remain, requests wait for the announced reset instead of earning a certain 429. Enabled per spider
(``custom_settings``); hosts that send no such headers are never held.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawlers.middlewares import server_delay

log = logging.getLogger(__name__)
_PREFIXES = ("x-rate-limit-", "x-ratelimit-", "ratelimit-")
_ID = re.compile(r"/[0-9]+(?=/|$)")


@dataclass
class _Window:
    remaining: int | None = None  # None: not announced yet
    limit: int | None = None
    reset_at: float = 0.0
    in_flight: int = 0
    answered: bool = False  # a successful answer or an announcement came back: the budget is known


def endpoint(url: str) -> str:
    """The rate-limit bucket of ``url``: host and path, numeric path segments folded to ``:id``."""
    parts = urlsplit(url)
    return parts.netloc + _ID.sub("/:id", parts.path)


class RateLimitHeadersMiddleware:
    """Client-side mirror of the server's announced per-endpoint request budget."""

    def __init__(self, cap: float) -> None:
        self.cap = cap
        self.windows: dict[str, _Window] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RateLimitHeadersMiddleware:
        return cls(crawler.settings.getfloat("NETRAL_BACKOFF_MAX_SECONDS", 300.0))

    async def process_request(self, request: Request) -> None:
        window = self.windows.setdefault(endpoint(request.url), _Window())
        while not window.answered and window.in_flight > 0:
            await asyncio.sleep(0.02)  # budget unknown: let the first answer announce it
        while window.remaining is not None and window.remaining <= 0:
            wait = min(self.cap, window.reset_at - time.time())
            if wait <= 0:  # the window has been reset: trust the announced limit again
                window.remaining = window.limit
                break
            log.info("rate limit of %s exhausted: waiting %.1fs for its reset", endpoint(request.url), wait)
            await asyncio.sleep(wait + 0.05)
        if window.remaining is not None:
            window.remaining -= 1
        window.in_flight += 1

    def process_response(self, request: Request, response: Response) -> Response:
        window = self.windows.setdefault(endpoint(request.url), _Window())
        window.in_flight = max(0, window.in_flight - 1)
        headers = {name: response.headers.get(prefix + name) for prefix in _PREFIXES
                   for name in ("remaining", "limit") if response.headers.get(prefix + name) is not None}
        if "remaining" not in headers:
            window.answered = window.answered or response.status < 400  # this endpoint announces nothing
            return response
        window.answered = True
        try:
            announced = int(headers["remaining"] or b"0")
            limit = headers.get("limit")
            window.limit = int(limit) if limit else window.limit
        except ValueError:
            return response
        window.remaining = announced - window.in_flight
        delay = server_delay(response)
        if delay is not None:
            window.reset_at = time.time() + min(self.cap, delay)
        return response
