"""Facebook Pages (Graph API, token): campaign Pages' feed, and registered accounts' comments on it.

Graph gives Page posts and their comments (Page Public Content Access); who reacted only on Pages one
manages, and nothing about personal profiles (those arrive as reports, :mod:`core.intake`). So only
direction 2: ``/{page}/feed`` inside the re-check window (``since``), then ``/{post}/comments``
(``filter=stream``: replies too, ``order=reverse_chronological``: newest first) for each post; a comment
whose ``from.id`` is a registered account becomes a ``comment`` interaction (target: the post; own: the
comment). Paging follows ``paging.next``. Incremental: per post, the ``comments`` cursor is the newest
comment time seen; the next run's walk stops at the first older comment (replies included, as the
stream is flat), and a ``--since`` backfill ignores the cursors. Deletions: stored posts and comments
in the window are fetched by id; Graph's "object does not exist" (code 100) marks them deleted.

The token travels in the ``Authorization`` header; the ``access_token`` that Graph repeats in
``paging.next`` is removed before following it, and redacted from any stored URL anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import Request, Response

from crawlers import facebook_parse as fp
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
_POST_FIELDS = "id,message,created_time,from,permalink_url"
_COMMENT_FIELDS = "id,message,created_time,from,parent,permalink_url"
_GONE_CODE = 100  # "Object with ID ... does not exist"


def without_token(url: str) -> str:
    """``url`` without ``access_token`` (Graph puts it into ``paging.next``)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def graph_error(body: Any) -> dict[str, Any] | None:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


class FacebookSpider(NetralSpider):
    """``scrapy crawl facebook [-a since=2024-09-01] [-a election=slug]``."""

    name = "facebook"
    platform = "facebook"
    credential_setting = "NETRAL_FACEBOOK_ACCESS_TOKEN"

    def request_headers(self, url: str) -> dict[str, str]:
        headers = super().request_headers(url)
        if self.netral.facebook_access_token is not None:
            headers["Authorization"] = f"Bearer {self.netral.facebook_access_token.get_secret_value()}"
        return headers

    def graph(self, path: str, callback: Any, stream: StreamKey, meta: dict[str, Any] | None = None,
              **params: Any) -> Request:
        url = f"{self.netral.facebook_graph_url.rstrip('/')}/{path}?{urlencode(params, safe=',')}"
        return self.follow(url, callback, stream, meta or {})

    def follow(self, url: str, callback: Any, stream: StreamKey, meta: dict[str, Any]) -> Request:
        req = self.request(without_token(url), callback, stream, **meta)
        req.meta["handle_httpstatus_list"] = [400, 403, 404]
        return req

    async def start(self) -> Any:
        if self.netral.facebook_access_token is None or not self.netral.facebook_access_token.get_secret_value():
            log.error("no Graph API token (NETRAL_FACEBOOK_ACCESS_TOKEN): nothing to crawl")
            return
        wl = self.load_watchlist()
        self.watch = wl
        self.known_actors = set(self.registered) | {k.lower() for k in self.registered}
        for campaign in wl.campaigns:
            ref = campaign.platform_id or campaign.handle
            key: StreamKey = (ref, "feed")
            cursor = self.watch.cursor(*key)
            floor = min(f for f in (self.new_floor(cursor is not None), self.recheck_floor()) if f is not None)
            yield self.graph(f"{ref}/feed", self.parse_feed, key, {"campaign": campaign.handle, "newest": None},
                             fields=_POST_FIELDS, limit=100, since=int(floor.timestamp()))
        subjects = [(c.platform_id, c.handle) for c in wl.campaigns] + [(a.platform_id, a.handle) for a in wl.accounts]
        known = [pid or handle for pid, handle in subjects if pid or handle.isdigit()]  # a numeric handle is the id
        for native_id in self.recent_content(known) if known else []:
            yield self.graph(native_id, self.parse_node, ("deletions", "nodes"), {"asked": native_id}, fields="id")

    def body(self, response: Response) -> tuple[Any, list[Any]]:
        """The JSON body, or ``(None, items)``: a malformed body or a Graph error recorded, stream failed."""
        body, error = self.json_body(response)
        if error is not None:
            return None, list(self.malformed(response, error))
        problem = graph_error(body)
        if response.status < 400 and problem is None:
            return body, []
        message = problem.get("message", "") if problem else ""
        code = problem.get("code") if problem else None
        return None, list(self.malformed(response, CrawlErrorItem(
            self.platform, f"http {response.status}", f"Graph error {code}: {message}"[:2000], response.url,
            captured(response))))

    def parse_feed(self, response: Response) -> Iterator[Any]:
        body, items = self.body(response)
        yield from items
        if body is None:
            return
        stream: StreamKey = response.meta["stream"]
        newest: datetime | None = response.meta["newest"]
        for post in body.get("data", []):
            author = post.get("from") or {}
            if author.get("id") and not self.watch_has_id(response.meta["campaign"]):
                yield AccountIdItem(self.platform, response.meta["campaign"], author["id"])
            item = fp.post_content(post, response.meta["campaign"], captured(response))
            if item.created_at is not None:
                newest = max(newest, item.created_at) if newest else item.created_at
            yield item
            since = None if self.since else parse_time(self.watch.cursor(post["id"], "comments"))
            yield self.graph(f"{post['id']}/comments", self.parse_comments, (post["id"], "comments"),
                             {"post": item, "since": since, "newest": None}, fields=_COMMENT_FIELDS,
                             filter="stream", order="reverse_chronological", limit=100, summary="true")
        if next_url := (body.get("paging") or {}).get("next"):
            yield self.follow(next_url, self.parse_feed, stream, {"campaign": response.meta["campaign"],
                                                                  "newest": newest})
        elif newest is not None:
            self.streams.set_cursor(stream, newest.isoformat())
        yield from self.streams.done(stream)

    def watch_has_id(self, handle: str) -> bool:
        return any(c.handle == handle and c.platform_id for c in self.watch.campaigns)

    def parse_comments(self, response: Response) -> Iterator[Any]:
        body, items = self.body(response)
        yield from items
        if body is None:
            return
        post: ContentItem = response.meta["post"]
        stream: StreamKey = response.meta["stream"]
        since: datetime | None = response.meta.get("since")
        newest: datetime | None = response.meta.get("newest")
        reached_cursor = False
        seen = int(response.meta.get("seen", 0))
        for comment in body.get("data") or []:
            at = parse_time(comment.get("created_time"))
            if since is not None and at is not None and at < since:  # (equal: maybe unseen, re-read; keys dedupe)
                reached_cursor = True
                break
            seen += 1
            if at is not None:
                newest = max(newest, at) if newest else at
            author_id = fp.comment_author_id(comment)
            if author_id is None or author_id not in self.known_actors:
                continue  # only registered accounts' comments are kept
            own = fp.comment_content(comment, post.native_id, captured(response))
            # Graph names comment authors by id only; an account may be declared by that id as its handle
            yield InteractionItem(self.platform, comment["id"], "comment", AccountRef(author_id, author_id),
                                  target=post, own=own, occurred_at=own.created_at, capture=own.capture)
        total = fp.comments_total(body) if "total" not in response.meta else response.meta["total"]
        next_url = fp.next_url(body)
        if next_url and not reached_cursor:
            yield self.follow(next_url, self.parse_comments, stream, {"post": post, "since": since, "newest": newest,
                                                                      "seen": seen, "total": total})
        elif not reached_cursor and since is None and total is not None:
            # the whole stream walked: as long as the post's own comment count says?
            self.list_complete(post, "comment", seen, total)
        if not (next_url and not reached_cursor) and newest is not None:
            current = parse_time(self.watch.cursor(*stream))
            self.streams.set_cursor(stream, max(newest, current).isoformat() if current else newest.isoformat())
        yield from self.streams.done(stream)

    def parse_node(self, response: Response) -> Iterator[Any]:
        body, error = self.json_body(response)
        if error is not None:
            yield from self.malformed(response, error)
            return
        problem = graph_error(body)
        if problem is not None and problem.get("code") == _GONE_CODE:
            yield DeletionItem(self.platform, response.meta["asked"], capture=captured(response))
        elif problem is not None:
            yield from self.malformed(response, CrawlErrorItem(
                self.platform, f"http {response.status}", str(problem.get("message", ""))[:2000], response.url,
                captured(response)))
            return
        yield from self.streams.done(response.meta["stream"])
