"""Scrapy log messages without credentials and without raw bodies.

Scrapy logs request URLs (which carry an API key on some platforms) and whole items (which carry the
raw response as evidence). This formatter redacts URLs with :func:`core.evidence.redact_url` and
describes items by type and natural key only. Credentials sent in headers are never logged by Scrapy.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from core.evidence import redact_url


def describe(item: Any) -> str:
    """A short, credential-free description of an item: its type and natural key."""
    key = getattr(item, "native_id", None) or getattr(item, "subject", None) or getattr(item, "handle", "")
    return f"{type(item).__name__}({getattr(item, 'platform', '?')} {key})"


def _req(request: Request) -> str:
    return f"<{request.method} {redact_url(request.url)}>"


class RedactingLogFormatter(LogFormatter):
    """Scrapy's log formatter with redacted URLs and summarised items."""

    def crawled(self, request: Request, response: Response, spider: Spider) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "Crawled (%(status)s) %(request)s",
                "args": {"status": response.status, "request": _req(request)}}

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "Scraped %(item)s", "args": {"item": describe(item)}}

    def dropped(self, item: Any, exception: BaseException, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        level = logging.DEBUG if str(exception).startswith("duplicate") else logging.WARNING
        return {"level": level, "msg": "Dropped %(item)s: %(exception)s",
                "args": {"item": describe(item), "exception": redact_url(str(exception))}}

    def item_error(self, item: Any, exception: BaseException, response: Response | Failure | None,
                   spider: Spider) -> LogFormatterResult:
        return {"level": logging.ERROR, "msg": "Error processing %(item)s", "args": {"item": describe(item)}}

    def spider_error(self, failure: Failure, request: Request, response: Response | Failure,
                     spider: Spider) -> LogFormatterResult:
        return {"level": logging.ERROR, "msg": "Spider error processing %(request)s",
                "args": {"request": _req(request)}}

    def download_error(self, failure: Failure, request: Request, spider: Spider,
                       errmsg: str | None = None) -> LogFormatterResult:
        return {"level": logging.ERROR, "msg": "Error downloading %(request)s: %(errmsg)s",
                "args": {"request": _req(request), "errmsg": errmsg or failure.getErrorMessage()}}
