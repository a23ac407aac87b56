"""What every netral spider shares: arguments, per-platform politeness, watch list, streams, errors.

A *stream* is one walk of one account (``(subject, stream name)``: a repo collection, a timeline, a
campaign feed). Every request of a stream is counted; the stream's cursor is yielded by the callback
that completes the last outstanding request, after that callback's own items — so the cursor is
stored only after every item it covers. A failed request (after retries) or a malformed body fails
the stream: its cursor is not advanced and the next run walks it again (re-delivery is harmless).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from core.db import engine_from_settings, make_session_factory, session_scope
from core.ingest.watchlist import (
    Watchlist,
    load_watchlist,
    recent_content,
    shard_watchlist,
    stored_engagements,
)
from core.models.base import utcnow
from core.settings import Settings, get_settings
from crawlers.config import netral_settings
from crawlers.items import CrawlErrorItem, CursorItem, DeletionItem, capture_of

log = logging.getLogger(__name__)

StreamKey = tuple[str, str]


@dataclass
class _Stream:
    pending: int = 0
    failed: bool = False
    cursor: str | None = None


class Streams:
    """Outstanding requests per stream, and the cursor to store once all of them completed."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self._streams: dict[StreamKey, _Stream] = {}

    def add(self, key: StreamKey) -> None:
        self._streams.setdefault(key, _Stream()).pending += 1

    def set_cursor(self, key: StreamKey, value: str | None) -> None:
        """The value the stream's cursor takes when the walk completes (None: leave it as it is)."""
        self._streams.setdefault(key, _Stream()).cursor = value

    def fail(self, key: StreamKey) -> None:
        self._streams.setdefault(key, _Stream()).failed = True

    def done(self, key: StreamKey) -> Iterator[CursorItem]:
        """Mark one request of ``key`` complete; yields the cursor item when the stream is finished."""
        stream = self._streams.setdefault(key, _Stream())
        stream.pending -= 1
        if stream.pending <= 0 and not stream.failed and stream.cursor is not None:
            yield CursorItem(self.platform, key[0], key[1], stream.cursor)
            stream.cursor = None


def parse_since(value: str | date | datetime | None) -> datetime | None:
    """``--since`` as an aware UTC datetime (a bare date means its midnight UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """``"i/n"`` (0-based slice i of n) as a tuple; None or ``"0/1"`` means all accounts."""
    if not value:
        return None
    index, _, count = value.partition("/")
    shard = (int(index), int(count))
    if not 0 <= shard[0] < shard[1]:
        raise ValueError(f"shard {value!r}: expected i/n with 0 <= i < n")
    return None if shard[1] == 1 else shard


def run_label(name: str, shard: tuple[int, int] | None) -> str:
    """The ``crawl_run.spider`` label: the spider's name, with its shard when sharded."""
    return name if shard is None else f"{name}#{shard[0]}/{shard[1]}"


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 timestamp from an API (``Z`` suffix allowed) as an aware datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class NetralSpider(scrapy.Spider):
    """Base of the platform spiders. Arguments: ``since`` (ISO date, backfill), ``election`` (slug),
    ``shard`` (``i/n``) and ``tag`` (a caller's token kept on the crawl run, to find that run again)."""

    platform: ClassVar[str] = ""

    def __init__(self, *args: Any, since: str | None = None, election: str | None = None,
                 shard: str | None = None, tag: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.since = parse_since(since)
        self.election = election or None
        self.shard = parse_shard(shard)
        self.tag = tag or None
        self.netral: Settings = get_settings()
        self.streams = Streams(self.platform)
        self.started = utcnow()
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Self:
        """The spider, with the netral settings its crawler carries (``NETRAL_SETTINGS``)."""
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        spider.netral = netral_settings(crawler.settings)
        return spider

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Apply the platform's concurrency and request rate (``<platform>_concurrency`` ...) to Scrapy."""
        super().update_settings(settings)
        netral = netral_settings(settings)
        concurrency = getattr(netral, f"{cls.platform}_concurrency", None)
        rate = getattr(netral, f"{cls.platform}_requests_per_second", None)
        if concurrency:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", concurrency, priority="spider")
            settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(concurrency), priority="spider")
        if rate:
            settings.set("DOWNLOAD_DELAY", 1.0 / float(rate), priority="spider")

    # -- database reads at start (through core) --------------------------------------------------
    def load_watchlist(self) -> Watchlist:
        """This crawl's accounts; sets ``self.registered`` from *all* registered accounts, because an
        engagement on a campaign post in this shard may come from an account of another shard."""
        engine = engine_from_settings(self.netral)
        try:
            with session_scope(make_session_factory(engine)) as session:
                watchlist = load_watchlist(session, self.platform, self.election)
                self.registered: dict[str, int] = watchlist.registered()
                return watchlist if self.shard is None else shard_watchlist(watchlist, *self.shard)
        finally:
            engine.dispose()

    def recent_content(self, author_ids: list[str]) -> list[str]:
        """Stored content of these authors inside the re-check window (to notice deletions)."""
        engine = engine_from_settings(self.netral)
        try:
            with session_scope(make_session_factory(engine)) as session:
                return recent_content(session, self.platform, author_ids, self.recheck_floor())
        finally:
            engine.dispose()

    def load_engagements(self) -> dict[str, set[str]]:
        """Stored likes / shares on content inside the re-check window, by target (see
        :meth:`withdrawn`)."""
        engine = engine_from_settings(self.netral)
        try:
            with session_scope(make_session_factory(engine)) as session:
                return stored_engagements(session, self.platform, self.recheck_floor())
        finally:
            engine.dispose()

    def list_complete(self, target: Any, kind: str, seen: int, expected: Any) -> bool:
        """Whether a walked list of who engaged (``seen`` entries) matches the item's own counter.

        Only a complete list may turn "not in the list" into a withdrawal. A server whose paging skips
        accounts, or an item without a counter, gives an incomplete list: counted in the run statistics
        (``netral/lists_incomplete``) and named in a warning, never a withdrawal.
        """
        if isinstance(expected, int) and not isinstance(expected, bool) and seen >= expected:
            return True
        name = getattr(target, "url", None) or getattr(target, "native_id", target)
        log.warning("%s list of %s incomplete: %d of %s accounts seen; no withdrawal inferred",
                    kind, name, seen, expected if expected is not None else "an unknown number of")
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("netral/lists_incomplete")
        return False

    def withdrawn(self, target: str, kind: str, seen: set[str], capture: Any) -> Iterator[DeletionItem]:
        """Deletions for stored ``kind`` engagements of ``target`` missing from a *complete* list."""
        stored = getattr(self, "engagements", {}).get(target, set())
        for key in sorted(stored - seen):
            if key.endswith(f" {kind} {target}"):
                yield DeletionItem(self.platform, key, "interaction", self.started, capture)

    # -- time windows ----------------------------------------------------------------------------
    def new_floor(self, has_cursor: bool) -> datetime | None:
        """Oldest creation time a walk must reach for new material.

        ``since`` (a backfill) wins; with a cursor the walk stops at the cursor instead (None); the
        first walk of an account goes back ``crawl_backfill_days``.
        """
        if self.since is not None:
            return self.since
        return None if has_cursor else self.started - timedelta(days=self.netral.crawl_backfill_days)

    def recheck_floor(self) -> datetime:
        """Content created after this is re-checked (deletions, new engagement)."""
        floor = self.started - timedelta(days=self.netral.crawl_recheck_days)
        return min(floor, self.since) if self.since else floor

    # -- requests, bodies and failures -----------------------------------------------------------
    def request(self, url: str, callback: Callable[..., Any], stream: StreamKey, **meta: Any) -> Request:
        """A request counted against ``stream``, failing the stream (not the crawl) on error."""
        self.streams.add(stream)
        return Request(url, callback=callback, errback=self.on_error, meta={"stream": stream, **meta},
                       headers=self.request_headers(url), dont_filter=True)

    def request_headers(self, url: str) -> dict[str, str]:
        """Headers for ``url`` (credentials go here, never into URLs when the API allows)."""
        return {"Accept": "application/json"}

    def json_body(self, response: Response) -> tuple[Any, CrawlErrorItem | None]:
        """The parsed JSON body, or an error item keeping the raw body as evidence."""
        try:
            return json.loads(response.body), None
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("malformed body from %s: %s", response.url.split("?")[0], exc)
            return None, CrawlErrorItem(self.platform, "malformed", f"malformed JSON: {exc}", response.url,
                                        capture_of(response))

    def malformed(self, response: Response, error: CrawlErrorItem) -> Iterator[Any]:
        """Record ``error`` and fail the response's stream; the crawl goes on."""
        stream: StreamKey = response.meta["stream"]
        self.streams.fail(stream)
        yield error
        yield from self.streams.done(stream)

    #: the setting that holds this platform's credential, named in "token missing or rejected"
    credential_setting: str | None = None

    def explain(self, request: Request, response: Response | None, failure: Failure) -> str:
        """One line a person can act on for a failed request (also the stored crawl error's message)."""
        host = request.meta.get("domain") or urlsplit(request.url).netloc  # the instance, where there are several
        path = urlsplit(request.url).path
        if response is None:
            return f"{host} unreachable ({type(failure.value).__name__}: {failure.getErrorMessage()}) for {path}"
        status = response.status
        if status in (403, 429) and b"quota" in response.body[:4000].lower():
            return f"daily quota of {host} used up (http {status} on {path}); {reset_hint(response)}"
        if status in (401, 403):
            where = f"set {self.credential_setting}" if self.credential_setting else "check the server's access rules"
            return f"token for {host} missing or rejected (http {status} on {path}): {where}"
        if status == 429:
            return f"rate limit of {host} reached (http 429 on {path}); {reset_hint(response)}"
        if status == 404 and request.meta.get("stream", ("", ""))[1] == "identity":
            handle = request.meta.get("handle", "?")
            roster = request.meta.get("info", {}).get("roster")
            row = f"roster: social account {roster}" if roster is not None else "campaign account of an election"
            return f"account @{str(handle).lstrip('@')} not found on {host} ({row}); correct or deactivate it"
        return f"http {status} from {host} on {path}"

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request: Request = failure.request  # type: ignore[attr-defined]
        stream: StreamKey = request.meta["stream"]
        self.streams.fail(stream)
        response = failure.value.response if isinstance(failure.value, HttpError) else None
        kind = f"http {response.status}" if response is not None else type(failure.value).__name__
        message = self.explain(request, response, failure)
        said: set[str] = self.__dict__.setdefault("_said", set())
        summary = message.split(" (http")[0]  # one line per failure kind and host, not one per request
        if summary not in said:
            said.add(summary)
            log.warning("%s", message)
        else:
            log.debug("%s", message)
        yield CrawlErrorItem(self.platform, kind[:32], message[:2000], request.url,
                             capture_of(response) if response is not None else None)
        yield from self.streams.done(stream)


def reset_hint(response: Response) -> str:
    """When a quota or rate window resets, from the response's own headers (seconds or epoch)."""
    headers = {k.decode().lower(): v[0].decode() for k, v in response.headers.items() if v}
    for name in ("retry-after", "x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        value = headers.get(name, "").strip()
        if value.isdigit():
            number = int(value)
            at = datetime.fromtimestamp(number, UTC) if number > 10**9 else datetime.now(UTC) + timedelta(
                seconds=number)
            return f"resets at {at:%Y-%m-%d %H:%M:%S} UTC"
    return "reset time not given; the next run resumes from the cursors"
