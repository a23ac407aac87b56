"""YouTube (Data API v3, API key): campaign channels' uploads, and registered accounts' comments on them.

YouTube gives no list of what a viewer commented, so only direction 2 is possible: for each official
campaign channel, ``channels.list`` → the uploads playlist → ``playlistItems.list`` (newest first) →
``commentThreads.list`` per video (newest first; ``comments.list`` for replies beyond the five
inlined). A comment whose author channel is a registered account becomes a ``comment`` interaction
(target: the video; own: the comment). Strangers' comments are not stored (data minimisation).

Incremental: per video, the ``comments`` cursor is the newest comment time seen; a walk stops at it.
Videos published inside the re-check window are walked every run (new comments arrive on them). Limit:
``commentThreads`` lists threads by their top-level comment's time, so a reply added later to a thread
older than the cursor is only seen by a ``--since`` backfill run (which ignores the comment cursors).
Deletions: stored videos and comments inside the window are looked up by id (``videos.list`` /
``comments.list``, 50 ids per unit); those missing are marked deleted.

Quota: every call costs 1 unit of a daily budget. ``403 quotaExceeded`` closes the spider cleanly
(reason ``quota_exceeded``); the streams it interrupted keep their old cursors, so the next run
resumes where this one stopped and re-delivers nothing twice (natural keys).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response

from crawlers import youtube_parse as yp
from crawlers.capture import captured
from crawlers.items import (
    AccountIdItem,
    AccountRef,
    ContentItem,
    CrawlErrorItem,
    DeletionItem,
    InteractionItem,
)
from crawlers.spiders.base import NetralSpider, StreamKey, parse_time

log = logging.getLogger(__name__)
PAGE = 50
_CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")  # a registered handle may be the channel id itself
_VIDEO_ID_LENGTH = 11  # YouTube video ids are 11 characters; comment ids are longer


def _reason(body: Any) -> str:
    try:
        return str(body["error"]["errors"][0]["reason"])
    except (KeyError, IndexError, TypeError):
        return ""


class YouTubeSpider(NetralSpider):
    """``scrapy crawl youtube [-a since=2024-09-01] [-a election=slug]``."""

    name = "youtube"
    platform = "youtube"
    credential_setting = "NETRAL_YOUTUBE_API_KEY"
    quota_exhausted = False
    custom_settings = {"URLLENGTH_LIMIT": 8192}  # noqa: RUF012 - 50 reply ids per lookup exceed 2083

    def api(self, resource: str, **params: Any) -> str:
        assert self.netral.youtube_api_key is not None
        query = {**params, "key": self.netral.youtube_api_key.get_secret_value()}
        return f"{self.netral.youtube_api_url.rstrip('/')}/{resource}?{urlencode(query, safe=',')}"

    def call(self, resource: str, callback: Any, stream: StreamKey, **params: Any) -> Request:
        meta = params.pop("meta", {})
        req = self.request(self.api(resource, **params), callback, stream, **meta)
        req.meta["handle_httpstatus_list"] = [400, 403, 404]
        return req

    async def start(self) -> Any:
        for request in self.start_requests_list():
            yield request

    def start_requests_list(self) -> list[Request]:
        if self.netral.youtube_api_key is None or not self.netral.youtube_api_key.get_secret_value():
            log.error("no YouTube API key (NETRAL_YOUTUBE_API_KEY): nothing to crawl")
            return []
        wl = self.load_watchlist()
        self.watch = wl
        self.known_actors = set(self.registered) | {k.lower().lstrip("@") for k in self.registered}
        requests = []
        for campaign in wl.campaigns:
            channel_id = campaign.platform_id or (campaign.handle if _CHANNEL_ID.fullmatch(campaign.handle) else None)
            by = {"id": channel_id} if channel_id else {"forHandle": f"@{campaign.handle}"}
            requests.append(self.call("channels", self.parse_channel, (campaign.handle, "channel"),
                                      part="id,snippet,contentDetails", meta={"campaign": campaign.handle}, **by))
        subjects = [(c.platform_id, c.handle) for c in wl.campaigns] + [(a.platform_id, a.handle) for a in wl.accounts]
        authors = [pid or handle for pid, handle in subjects if pid or _CHANNEL_ID.fullmatch(handle)]
        recent = self.recent_content(authors) if authors else []
        videos = [i for i in recent if len(i) == _VIDEO_ID_LENGTH]
        comments = [i for i in recent if len(i) != _VIDEO_ID_LENGTH]
        for resource, ids in (("videos", videos), ("comments", comments)):
            for start in range(0, len(ids), PAGE):
                chunk = ids[start:start + PAGE]
                requests.append(self.call(resource, self.parse_existing, ("deletions", resource), part="id",
                                          id=",".join(chunk), maxResults=PAGE, meta={"asked": chunk}))
        return requests

    # -- shared response handling ----------------------------------------------------------------
    def body_or_stop(self, response: Response) -> tuple[Any, list[Any]]:
        """The JSON body, or ``(None, items)`` to yield: an error recorded, the stream failed.

        ``quotaExceeded`` closes the spider (after its error is recorded by the caller's yield).
        """
        body, error = self.json_body(response)
        if error is not None:
            return None, list(self.malformed(response, error))
        if response.status < 400:
            return body, []
        reason = _reason(body)
        if reason == "quotaExceeded":
            self.quota_exhausted = True
        stream: StreamKey = response.meta["stream"]
        self.streams.fail(stream)
        err = CrawlErrorItem(self.platform, "quota" if reason == "quotaExceeded" else f"http {response.status}",
                             f"{response.status} {reason}", response.url, captured(response))
        return None, [err, *self.streams.done(stream)]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> YouTubeSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    def on_idle(self) -> None:
        """Close with reason ``quota_exceeded`` once every item already yielded has been stored."""
        if self.quota_exhausted:
            raise CloseSpider("quota_exceeded")

    # -- campaign channel → uploads → comment threads ------------------------------------------
    def parse_channel(self, response: Response) -> Iterator[Any]:
        body, items = self.body_or_stop(response)
        yield from items
        if body is None or self.quota_exhausted:  # no new requests once the quota is spent
            return
        stream: StreamKey = response.meta["stream"]
        found = body.get("items") or []
        if not found:
            log.warning("campaign channel %s not found on YouTube", response.meta["campaign"])
        for channel in found:
            cid = channel["id"]
            yield AccountIdItem(self.platform, response.meta["campaign"], cid)
            uploads = channel["contentDetails"]["relatedPlaylists"]["uploads"]
            key: StreamKey = (cid, "uploads")
            cursor = parse_time(self.watch.cursor(*key))
            start = cursor or self.new_floor(False)
            floor = min(self.recheck_floor(), start) if start else self.recheck_floor()
            meta = {"floor": floor, "channel": channel, "newest": None}
            yield self.call("playlistItems", self.parse_uploads, key, part="snippet,contentDetails",
                            playlistId=uploads, maxResults=PAGE, meta=meta)
        yield from self.streams.done(stream)

    def video_item(self, entry: dict[str, Any], channel: dict[str, Any], response: Response) -> ContentItem:
        return yp.video_content(entry, channel, captured(response))

    def parse_uploads(self, response: Response) -> Iterator[Any]:
        body, items = self.body_or_stop(response)
        yield from items
        if body is None or self.quota_exhausted:  # no new requests once the quota is spent
            return
        stream: StreamKey = response.meta["stream"]
        floor: datetime = response.meta["floor"]
        channel = response.meta["channel"]
        reached_floor = False
        newest = response.meta["newest"]
        for entry in body.get("items", []):
            video = self.video_item(entry, channel, response)
            if video.created_at is not None and video.created_at < floor:
                reached_floor = True
                break
            newest = max(newest or video.created_at, video.created_at) if video.created_at else newest
            yield video
            key: StreamKey = (video.native_id, "comments")
            since = None if self.since else parse_time(self.watch.cursor(*key))  # --since: backfill all
            yield self.call("commentThreads", self.parse_threads, key, part="snippet,replies",
                            videoId=video.native_id, maxResults=100, order="time",
                            meta={"video": video, "since": since, "newest": None})
        token = body.get("nextPageToken")
        if token and not reached_floor:
            yield self.call("playlistItems", self.parse_uploads, stream, part="snippet,contentDetails",
                            playlistId=channel["contentDetails"]["relatedPlaylists"]["uploads"], maxResults=PAGE,
                            pageToken=token, meta={"floor": floor, "channel": channel, "newest": newest})
        elif newest is not None:
            current = parse_time(self.watch.cursor(*stream))
            self.streams.set_cursor(stream, max(newest, current).isoformat() if current else newest.isoformat())
        yield from self.streams.done(stream)

    def comment_interaction(self, comment: dict[str, Any], video: ContentItem,
                            response: Response) -> Iterator[Any]:
        """An interaction (and the account's id) if a registered account wrote ``comment``."""
        author_id, handle = yp.comment_author(comment)
        if author_id not in self.known_actors and handle not in self.known_actors:
            return
        if handle in self.known_actors and author_id and author_id not in self.known_actors:
            yield AccountIdItem(self.platform, handle, author_id)
        own = yp.comment_content(comment, video.native_id, captured(response))
        yield InteractionItem(self.platform, comment["id"], "comment", AccountRef(author_id, handle or None),
                              target=video, own=own, occurred_at=own.created_at, capture=own.capture)

    def parse_threads(self, response: Response) -> Iterator[Any]:
        body, items = self.body_or_stop(response)
        video: ContentItem = response.meta["video"]
        if body is None and response.status == 404:  # the video disappeared since it was listed
            yield DeletionItem(self.platform, video.native_id, capture=captured(response))
        yield from items
        if body is None or self.quota_exhausted:  # no new requests once the quota is spent
            return
        stream: StreamKey = response.meta["stream"]
        since: datetime | None = response.meta["since"]
        newest: datetime | None = response.meta["newest"]
        older_than_cursor = False
        for thread in body.get("items", []):
            top = thread["snippet"]["topLevelComment"]
            at = parse_time(top["snippet"].get("publishedAt"))
            if since is not None and at is not None and at <= since:
                older_than_cursor = True
                break
            if at is not None:
                newest = max(newest, at) if newest else at
            yield from self.comment_interaction(top, video, response)
            inlined, total = yp.thread_replies(thread)
            for reply in inlined:
                yield from self.comment_interaction(reply, video, response)
            if total > len(inlined):
                yield self.call("comments", self.parse_replies, stream, part="snippet", parentId=thread["id"],
                                maxResults=100, meta={"video": video, "parent": thread["id"], "expected": total,
                                                      "seen": 0})
        token = body.get("nextPageToken")
        if token and not older_than_cursor:
            yield self.call("commentThreads", self.parse_threads, stream, part="snippet,replies",
                            videoId=video.native_id, maxResults=100, order="time", pageToken=token,
                            meta={"video": video, "since": since, "newest": newest})
        elif newest is not None:
            self.streams.set_cursor(stream, newest.isoformat())
        yield from self.streams.done(stream)

    def parse_replies(self, response: Response) -> Iterator[Any]:
        """Replies beyond the five a thread inlines; the walked list is checked against the thread's
        ``totalReplyCount``, so a run that got fewer replies than YouTube counts says so."""
        body, items = self.body_or_stop(response)
        yield from items
        if body is None or self.quota_exhausted:  # no new requests once the quota is spent
            return
        stream: StreamKey = response.meta["stream"]
        meta = response.meta
        replies = [r for r in body.get("items") or [] if isinstance(r, dict)]
        seen = int(meta.get("seen", 0)) + len(replies)
        for reply in replies:
            yield from self.comment_interaction(reply, meta["video"], response)
        parent = meta.get("parent") or (replies[0]["snippet"]["parentId"] if replies else None)
        if (token := yp.next_page(body)) and parent:
            yield self.call("comments", self.parse_replies, stream, part="snippet", parentId=parent,
                            maxResults=100, pageToken=token,
                            meta={"video": meta["video"], "parent": parent, "expected": meta.get("expected"),
                                  "seen": seen})
        elif meta.get("expected") is not None:
            self.list_complete(f"replies to comment {parent}", "reply", seen, meta["expected"])
        yield from self.streams.done(stream)

    # -- deletions -------------------------------------------------------------------------------
    def parse_existing(self, response: Response) -> Iterator[Any]:
        body, items = self.body_or_stop(response)
        yield from items
        if body is None or self.quota_exhausted:  # no new requests once the quota is spent
            return
        present = {item["id"] for item in body.get("items", [])}
        for native_id in response.meta["asked"]:
            if native_id not in present:
                yield DeletionItem(self.platform, native_id, capture=captured(response))
        yield from self.streams.done(response.meta["stream"])
