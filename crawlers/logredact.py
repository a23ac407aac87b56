"""Scrapy log messages without credentials and without raw bodies.

Scrapy logs request URLs (which carry an API key on some platforms) and whole items (which carry the
raw response as evidence). This formatter redacts URLs with :func:`core.evidence.redact_url` and
describes items by type and natural key only. Credentials sent in headers are never logged by Scrapy.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from core.evidence import SECRET_PARAMS, redact_url

_NAMES = "|".join(sorted(SECRET_PARAMS))
_SECRET_IN_TEXT = re.compile(rf"(?i)([?&](?:{_NAMES})=)[^&\s'\">]+")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def redact_text(text: str) -> str:
    """``text`` with credential query parameters and bearer tokens replaced by ``REDACTED``."""
    return _BEARER.sub(r"\1REDACTED", _SECRET_IN_TEXT.sub(r"\1REDACTED", text))


class RedactingFilter(logging.Filter):
    """Rewrites every log record of the crawl process through :func:`redact_text` (Scrapy's own
    middlewares, e.g. "Ignoring response <404 URL>", log URLs that this formatter never sees)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactLogsExtension:
    """Scrapy extension: puts :class:`RedactingFilter` on the log handlers once logging is set up."""

    def __init__(self, crawler: Crawler) -> None:
        crawler.signals.connect(self.install, signal=signals.engine_started)
        self.install()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedactLogsExtension:
        return cls(crawler)

    def install(self) -> None:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


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
