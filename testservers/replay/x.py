"""X API v2 routes: user lookup by username, user timeline, tweet lookup and ``retweeted_by``.

Bearer token required (401 otherwise). Every answer carries ``x-rate-limit-limit`` /
``x-rate-limit-remaining`` / ``x-rate-limit-reset`` for its endpoint's window; an exhausted window
answers 429 until the reset time, so a crawler has to honour the headers. Fields follow the documented
defaults: ``id``, ``text`` and ``edit_history_tweet_ids`` always, the rest only when asked for in
``tweet.fields``; ``expansions`` fill ``includes``.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from testservers.replay.protocol import (
    BadToken,
    Reply,
    Request,
    Route,
    decode_token,
    encode_token,
    page_size,
    rfc3339,
)
from testservers.replay.x_world import XTweet, XUser, XWorld

if TYPE_CHECKING:
    from testservers.replay.world import ReplayWorld

PREFIX = "/x/2"


def problem(status: int, title: str, detail: str) -> Reply:
    return Reply(status, {"title": title, "detail": detail, "type": "about:blank", "status": status})


def not_found(resource: str, parameter: str, value: str) -> dict[str, Any]:
    return {"value": value, "detail": f"Could not find {resource} with {parameter}: [{value}].",
            "title": "Not Found Error", "resource_type": resource, "parameter": parameter,
            "resource_id": value, "type": "https://api.twitter.com/2/problems/resource-not-found"}


def _gate(xw: XWorld, req: Request, route: str) -> tuple[Reply | None, dict[str, str]]:
    """Check the bearer token and count the request in its endpoint's rate-limit window."""
    if req.headers.get("authorization") != f"Bearer {xw.bearer_token}":
        return problem(401, "Unauthorized", "Unauthorized"), {}
    now = time.time()
    start, used = xw.windows.get(route, (now, 0))
    if now >= start + xw.window_seconds:
        start, used = now, 0
    reset = str(math.ceil(start + xw.window_seconds))
    if used >= xw.rate_limit:
        headers = {"x-rate-limit-limit": str(xw.rate_limit), "x-rate-limit-remaining": "0",
                   "x-rate-limit-reset": reset}
        return problem(429, "Too Many Requests", "Too Many Requests"), headers
    xw.windows[route] = (start, used + 1)
    return None, {"x-rate-limit-limit": str(xw.rate_limit),
                  "x-rate-limit-remaining": str(xw.rate_limit - used - 1), "x-rate-limit-reset": reset}


def _user(u: XUser) -> dict[str, Any]:
    return {"id": u.id, "name": u.name, "username": u.username}


def _retweet_counts(xw: XWorld, fields: set[str]) -> Counter[str]:
    """Retweets per tweet, counted once per answer (only when ``public_metrics`` is asked for)."""
    if "public_metrics" not in fields:
        return Counter()
    return Counter(t.ref[1] for t in xw.tweets.values() if t.ref is not None and t.ref[0] == "retweeted")


def _tweet(counts: Counter[str], t: XTweet, fields: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id, "text": t.text, "edit_history_tweet_ids": [t.id]}
    optional: dict[str, Any] = {"author_id": t.author_id, "created_at": rfc3339(t.created_at, millis=True),
                                "conversation_id": t.conversation_id, "lang": "in",
                                "public_metrics": {"retweet_count": counts[t.id], "reply_count": 0,
                                                   "like_count": 0, "quote_count": 0}}
    if t.ref is not None:
        optional["referenced_tweets"] = [{"type": t.ref[0], "id": t.ref[1]}]
    if t.in_reply_to_user_id is not None:
        optional["in_reply_to_user_id"] = t.in_reply_to_user_id
    out.update({k: v for k, v in optional.items() if k in fields})
    return out


def _expand(xw: XWorld, tweets: list[XTweet], req: Request, fields: set[str]) -> dict[str, Any]:
    """``includes`` and partial ``errors`` for the requested expansions."""
    expansions = set(filter(None, req.query.get("expansions", "").split(",")))
    includes: dict[str, list[dict[str, Any]]] = {}
    errors: list[dict[str, Any]] = []
    users: dict[str, XUser] = {}
    if "author_id" in expansions:
        users.update({t.author_id: xw.users[t.author_id] for t in tweets})
    if "referenced_tweets.id" in expansions:
        seen: dict[str, XTweet] = {}
        for t in tweets:
            if t.ref is None:
                continue
            if (ref := xw.tweets.get(t.ref[1])) is None:
                errors.append(not_found("tweet", "referenced_tweets.id", t.ref[1]))
            else:
                seen[ref.id] = ref
        if seen:
            counts = _retweet_counts(xw, fields)
            includes["tweets"] = [_tweet(counts, r, fields) for r in seen.values()]
        if "referenced_tweets.id.author_id" in expansions or "author_id" in expansions:
            users.update({r.author_id: xw.users[r.author_id] for r in seen.values()})
    if users:
        includes["users"] = [_user(u) for u in users.values()]
    out: dict[str, Any] = {}
    if includes:
        out["includes"] = includes
    if errors:
        out["errors"] = errors
    return out


def _time_param(req: Request, name: str) -> datetime | None:
    """``start_time`` / ``end_time`` (RFC 3339, e.g. ``2024-10-01T00:00:00Z``)."""
    value = req.query.get(name)
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _fields(req: Request) -> set[str]:
    return set(filter(None, req.query.get("tweet.fields", "").split(",")))


def _user_by_username(world: ReplayWorld, req: Request) -> Reply:
    denied, headers = _gate(world.x, req, "users.by.username")
    if denied is not None:
        denied.headers.update(headers)
        return denied
    name = req.params["username"]
    user = world.x.user_by_username(name)
    body = {"data": _user(user)} if user else {"errors": [not_found("user", "username", name)]}
    return Reply(200, body, headers)


def _paged(req: Request, scope: str, items: list[Any], default: int,
           minimum: int) -> tuple[list[Any], dict[str, Any]] | Reply:
    size = page_size(req.query.get("max_results"), default, 100, minimum)
    try:
        offset = decode_token(req.query.get("pagination_token"), scope)
    except BadToken:
        return problem(400, "Invalid Request", "The `pagination_token` query parameter value is not valid.")
    page = items[offset:offset + size]
    meta: dict[str, Any] = {"result_count": len(page)}
    if offset + size < len(items):
        meta["next_token"] = encode_token(offset + size, scope)
    if offset > 0:
        meta["previous_token"] = encode_token(max(0, offset - size), scope)
    return page, meta


def _user_tweets(world: ReplayWorld, req: Request) -> Reply:
    xw = world.x
    denied, headers = _gate(xw, req, "users.tweets")
    if denied is not None:
        denied.headers.update(headers)
        return denied
    uid = req.params["id"]
    if uid not in xw.users:
        return Reply(200, {"errors": [not_found("user", "id", uid)]}, headers)
    since = int(req.query.get("since_id", "0") or 0)
    start, end = _time_param(req, "start_time"), _time_param(req, "end_time")
    exclude = set(req.query.get("exclude", "").split(","))
    tweets = [t for t in xw.tweets.values() if t.author_id == uid and int(t.id) > since
              and (start is None or t.created_at >= start) and (end is None or t.created_at < end)
              and not (t.ref and t.ref[0] == "retweeted" and "retweets" in exclude)
              and not (t.ref and t.ref[0] == "replied_to" and "replies" in exclude)]
    tweets.sort(key=lambda t: int(t.id), reverse=True)
    paged = _paged(req, f"tweets:{uid}:{since}:{start}:{end}", tweets[:3200], 10, 5)
    if isinstance(paged, Reply):
        return paged
    page, meta = paged
    if page:
        meta["newest_id"], meta["oldest_id"] = page[0].id, page[-1].id
    fields = _fields(req)
    body: dict[str, Any] = {}
    if page:
        counts = _retweet_counts(xw, fields)
        body["data"] = [_tweet(counts, t, fields) for t in page]
    body.update(_expand(xw, page, req, fields))
    body["meta"] = meta
    return Reply(200, body, headers)


def _tweets_lookup(world: ReplayWorld, req: Request) -> Reply:
    xw = world.x
    denied, headers = _gate(xw, req, "tweets")
    if denied is not None:
        denied.headers.update(headers)
        return denied
    ids = [i for i in req.query.get("ids", "").split(",") if i][:100]
    found = [xw.tweets[i] for i in ids if i in xw.tweets]
    fields = _fields(req)
    body: dict[str, Any] = {}
    if found:
        counts = _retweet_counts(xw, fields)
        body["data"] = [_tweet(counts, t, fields) for t in found]
    body.update(_expand(xw, found, req, fields))
    missing = [not_found("tweet", "ids", i) for i in ids if i not in xw.tweets]
    if missing:
        body["errors"] = body.get("errors", []) + missing
    return Reply(200, body, headers)


def _retweeted_by(world: ReplayWorld, req: Request) -> Reply:
    xw = world.x
    denied, headers = _gate(xw, req, "tweets.retweeted_by")
    if denied is not None:
        denied.headers.update(headers)
        return denied
    tid = req.params["id"]
    if tid not in xw.tweets:
        return Reply(200, {"errors": [not_found("tweet", "id", tid)]}, headers)
    listed = [u for u in xw.retweeters(tid) if u.id not in xw.unlisted_retweeters]
    paged = _paged(req, f"rt:{tid}", listed, 100, 1)
    if isinstance(paged, Reply):
        return paged
    page, meta = paged
    body: dict[str, Any] = {"data": [_user(u) for u in page]} if page else {}
    body["meta"] = meta
    return Reply(200, body, headers)


ROUTES = [
    Route("x.users.by.username", "GET", PREFIX + "/users/by/username/(?P<username>[A-Za-z0-9_]+)",
          _user_by_username),
    Route("x.users.tweets", "GET", PREFIX + "/users/(?P<id>[0-9]+)/tweets", _user_tweets),
    Route("x.tweets.retweeted_by", "GET", PREFIX + "/tweets/(?P<id>[0-9]+)/retweeted_by", _retweeted_by),
    Route("x.tweets", "GET", PREFIX + "/tweets", _tweets_lookup),
]
