"""X (API v2, bearer token): registered accounts' tweets, and who retweeted the campaign accounts' tweets.

Direction 1: ``GET /2/users/:id/tweets`` with ``referenced_tweets.id`` expansions gives an account's
posts, retweets (``share``), quotes (``quote``, own text kept) and replies (``comment``), with the
target tweet from ``includes`` (a stub when X reports it missing). The ``tweets`` cursor is the newest
tweet id (``since_id`` next run). Direction 2: campaign accounts' tweets in the re-check window, and
``GET /2/tweets/:id/retweeted_by`` (≤ 100 per page) for each; registered retweeters become ``share``
interactions under the same key as direction 1 (:func:`engagement_key`), so a retweet seen both ways
is stored once. Likes are private on X since June 2024. Deletions: stored tweets in the window are
looked up with ``GET /2/tweets?ids=`` (100 per call); "Not Found" ones are marked deleted. An undone
retweet of a campaign tweet is noticed when that tweet's ``retweeted_by`` list, walked in full, no longer
names the registered account (the share is marked deleted, its evidence kept); an undone retweet of other
content is not (the timeline just stops listing it, and a retweet has no content row to look up).

The bearer token travels in the ``Authorization`` header only. Rate limits: ``429`` waits for
``x-rate-limit-reset`` (:mod:`crawlers.middlewares`), and a window announced as exhausted holds the
host before the 429 (:mod:`crawlers.ratelimit`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Request, Response

from crawlers import x_parse as xp
from crawlers.capture import captured
from crawlers.items import (
    AccountIdItem,
    AccountRef,
    ContentItem,
    DeletionItem,
    InteractionItem,
    engagement_key,
)
from crawlers.spiders.base import NetralSpider, StreamKey

log = logging.getLogger(__name__)
LOOKUP = 100
_TWEET_FIELDS = "created_at,author_id,conversation_id,referenced_tweets,in_reply_to_user_id,lang,public_metrics"
_EXPANSIONS = "referenced_tweets.id,referenced_tweets.id.author_id,author_id"


def _rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class XSpider(NetralSpider):
    """``scrapy crawl x [-a since=2024-09-01] [-a election=slug]``."""

    name = "x"
    platform = "x"
    credential_setting = "NETRAL_X_BEARER_TOKEN"
    custom_settings = {  # noqa: RUF012 - Scrapy's attribute, read once by the crawler
        "URLLENGTH_LIMIT": 8192,  # 100 ids per lookup exceed Scrapy's default 2083
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.middlewares.PoliteRetryMiddleware": 550,
            "crawlers.ratelimit.RateLimitHeadersMiddleware": 560,
        },
    }

    def request_headers(self, url: str) -> dict[str, str]:
        headers = super().request_headers(url)
        if self.netral.x_bearer_token is not None:
            headers["Authorization"] = f"Bearer {self.netral.x_bearer_token.get_secret_value()}"
        return headers

    def api(self, path: str, **params: Any) -> str:
        query = f"?{urlencode(params, safe=',')}" if params else ""
        return f"{self.netral.x_api_url.rstrip('/')}/{path}{query}"

    async def start(self) -> Any:
        if self.netral.x_bearer_token is None or not self.netral.x_bearer_token.get_secret_value():
            log.error("no X bearer token (NETRAL_X_BEARER_TOKEN): nothing to crawl")
            return
        wl = self.load_watchlist()
        self.watch = wl
        self.engagements = self.load_engagements()
        self.known_actors = set(self.registered) | {k.lower().lstrip("@") for k in self.registered}
        subjects = [(a.handle, a.platform_id, "account") for a in wl.accounts]
        subjects += [(c.handle, c.platform_id, "campaign") for c in wl.campaigns]
        for handle, uid, role in subjects:
            if uid:
                yield self.timeline(uid, handle, role)
            else:
                yield self.request(self.api(f"users/by/username/{handle.lstrip('@')}"), self.parse_user,
                                   (handle, "user"), role=role, handle=handle)
        known = [a.platform_id for a in wl.accounts if a.platform_id]
        known += [c.platform_id for c in wl.campaigns if c.platform_id]
        stored = self.recent_content(known) if known else []
        for start in range(0, len(stored), LOOKUP):
            ids = stored[start:start + LOOKUP]
            yield self.request(self.api("tweets", ids=",".join(ids)), self.parse_lookup, ("deletions", "tweets"))

    # -- identity and timelines ------------------------------------------------------------------
    def parse_user(self, response: Response) -> Iterator[Any]:
        body, error = self.json_body(response)
        if error is not None:
            yield from self.malformed(response, error)
            return
        user = body.get("data")
        if not user:
            log.warning("X account @%s not found", response.meta["handle"])
        else:
            yield AccountIdItem(self.platform, response.meta["handle"], user["id"])
            yield self.timeline(user["id"], response.meta["handle"], response.meta["role"])
        yield from self.streams.done(response.meta["stream"])

    def timeline(self, uid: str, handle: str, role: str, token: str | None = None) -> Request:
        stream: StreamKey = (uid, "tweets" if role == "account" else "campaign-tweets")
        params: dict[str, Any] = {"max_results": 100, "tweet.fields": _TWEET_FIELDS, "expansions": _EXPANSIONS,
                                  "user.fields": "username,name"}
        cursor = self.watch.cursor(*stream)
        floor: datetime | None = None
        if role == "account":
            if cursor and self.since is None:
                params["since_id"] = cursor  # only what is new since the last run
            else:
                floor = self.new_floor(False)
        else:  # campaign tweets: the whole re-check window, for new retweeters
            floor = min(f for f in (self.new_floor(cursor is not None), self.recheck_floor()) if f is not None)
        if floor is not None:
            params["start_time"] = _rfc3339(floor)
        if token:
            params["pagination_token"] = token
        return self.request(self.api(f"users/{uid}/tweets", **params), self.parse_timeline, stream,
                            uid=uid, handle=handle, role=role)

    def content(self, tweet: dict[str, Any], users: dict[str, dict[str, Any]], response: Response) -> ContentItem:
        return xp.tweet_content(tweet, users, captured(response))

    def parse_timeline(self, response: Response) -> Iterator[Any]:
        body, error = self.json_body(response)
        if error is not None:
            yield from self.malformed(response, error)
            return
        stream: StreamKey = response.meta["stream"]
        users, referenced = xp.users_of(body), xp.referenced_of(body)
        for tweet in body.get("data") or []:
            if response.meta["role"] == "account":
                yield self.account_interaction(tweet, users, referenced, response)
            else:
                yield from self.campaign_tweet(tweet, users, response)
        meta = body.get("meta", {})
        if "pagination_token" not in response.url and meta.get("newest_id"):
            self.streams.set_cursor(stream, meta["newest_id"])
        if token := meta.get("next_token"):
            yield self.timeline(response.meta["uid"], response.meta["handle"], response.meta["role"], token)
        yield from self.streams.done(stream)

    def account_interaction(self, tweet: dict[str, Any], users: dict[str, dict[str, Any]],
                            referenced: dict[str, dict[str, Any]], response: Response) -> InteractionItem:
        """One tweet of a registered account as the interaction it is (post / share / quote / comment)."""
        uid = response.meta["uid"]
        actor = AccountRef(uid, users.get(uid, {}).get("username") or response.meta["handle"])
        own = self.content(tweet, users, response)
        kind, target_id = xp.interaction_kind(tweet)
        if target_id is None:
            return InteractionItem(self.platform, tweet["id"], "post", actor, target=own, occurred_at=own.created_at,
                                   capture=own.capture)
        target = (self.content(referenced[target_id], users, response) if target_id in referenced
                  else xp.stub_tweet(target_id))
        if kind == "share":
            return InteractionItem(self.platform, engagement_key(uid, "share", target_id), kind, actor,
                                   target=target, occurred_at=own.created_at, capture=own.capture)
        return InteractionItem(self.platform, tweet["id"], kind, actor, target=target, own=own,
                               occurred_at=own.created_at, capture=own.capture)

    # -- campaign tweets and their retweeters ----------------------------------------------------
    def campaign_tweet(self, tweet: dict[str, Any], users: dict[str, dict[str, Any]],
                       response: Response) -> Iterator[Any]:
        if any(r["type"] == "retweeted" for r in tweet.get("referenced_tweets", [])):
            return  # a campaign account's retweet is not its own content
        item = self.content(tweet, users, response)
        yield item
        yield self.retweeters(item, expected=xp.retweet_count(tweet))

    def retweeters(self, item: ContentItem, token: str | None = None, seen: tuple[str, ...] = (),
                   expected: int | None = None, total: int = 0) -> Request:
        params: dict[str, Any] = {"max_results": 100, "user.fields": "username,name"}
        if token:
            params["pagination_token"] = token
        return self.request(self.api(f"tweets/{item.native_id}/retweeted_by", **params), self.parse_retweeters,
                            (item.native_id, "retweeted_by"), target=item, seen=seen, expected=expected,
                            total=total)

    def parse_retweeters(self, response: Response) -> Iterator[Any]:
        body, error = self.json_body(response)
        if error is not None:
            yield from self.malformed(response, error)
            return
        target: ContentItem = response.meta["target"]
        seen = set(response.meta.get("seen", ()))
        users, token = xp.retweeters_page(body)
        total = int(response.meta.get("total", 0)) + len(users)
        expected = response.meta.get("expected")
        for user in users:
            username = (user.get("username") or "").lower()
            if user["id"] not in self.known_actors and username not in self.known_actors:
                continue
            key = engagement_key(user["id"], "share", target.native_id)
            seen.add(key)
            yield InteractionItem(self.platform, key, "share", AccountRef(user["id"], username or None),
                                  target=target, capture=captured(response))
        if token:
            yield self.retweeters(target, token, tuple(sorted(seen)), expected, total)
        elif self.list_complete(target, "share", total, expected):
            # walked to the end and as long as the tweet's own retweet_count: who is no longer in it?
            yield from self.withdrawn(target.native_id, "share", seen, captured(response))
        yield from self.streams.done(response.meta["stream"])

    # -- deletions -------------------------------------------------------------------------------
    def parse_lookup(self, response: Response) -> Iterator[Any]:
        body, error = self.json_body(response)
        if error is not None:
            yield from self.malformed(response, error)
            return
        for problem in body.get("errors", []):
            if problem.get("parameter") == "ids" and problem.get("title") == "Not Found Error":
                yield DeletionItem(self.platform, str(problem["value"]), capture=captured(response))
        yield from self.streams.done(response.meta["stream"])
