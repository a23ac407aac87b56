"""X API v2 payloads → netral records: tweets, their references and counters, ``retweeted_by`` pages.

Pure functions over the documented objects (developer.x.com, "Tweet object" / "User object") so the
conversion is tested offline on recorded payloads. Real answers differ from the reference: optional
fields (``author_id``, ``created_at``, ``referenced_tweets``, ``public_metrics``) are present only when
asked for in ``tweet.fields``; a deleted or withheld referenced tweet is missing from ``includes`` and
named in ``errors``; an empty page has no ``data`` at all, only ``meta``; the last page has no
``next_token``.
"""

from __future__ import annotations

from typing import Any

from core.evidence import Capture
from crawlers.items import ContentItem
from crawlers.spiders.base import parse_time

PLATFORM = "x"
#: referenced_tweets type → interaction kind; the first present in this order decides.
KINDS = {"retweeted": "share", "quoted": "quote", "replied_to": "comment"}


def refs(tweet: dict[str, Any]) -> dict[str, str]:
    """``{type: tweet id}`` of a tweet's ``referenced_tweets`` (absent when the field was not asked for)."""
    out: dict[str, str] = {}
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and isinstance(ref.get("type"), str) and ref.get("id") is not None:
            out[ref["type"]] = str(ref["id"])
    return out


def interaction_kind(tweet: dict[str, Any]) -> tuple[str, str | None]:
    """What a registered account's tweet is: ``(kind, target id)``; ``("post", None)`` for an original."""
    found = refs(tweet)
    kind_type = next((t for t in KINDS if t in found), None)
    return ("post", None) if kind_type is None else (KINDS[kind_type], found[kind_type])


def users_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``includes.users`` by id (a page without expansions has none)."""
    users = (body.get("includes") or {}).get("users") or []
    return {str(u["id"]): u for u in users if isinstance(u, dict) and "id" in u}


def referenced_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``includes.tweets`` by id: the referenced tweets X still serves (deleted ones are left out)."""
    tweets = (body.get("includes") or {}).get("tweets") or []
    return {str(t["id"]): t for t in tweets if isinstance(t, dict) and "id" in t}


def tweet_content(tweet: dict[str, Any], users: dict[str, dict[str, Any]],
                  capture: Capture | None = None) -> ContentItem:
    """A content item from a Tweet object; its author from ``includes.users`` when expanded."""
    author = users.get(str(tweet.get("author_id", "")), {})
    username = author.get("username")
    found = refs(tweet)
    return ContentItem(
        PLATFORM, str(tweet["id"]), kind="comment" if "replied_to" in found else "post",
        url=f"https://x.com/{username or 'i/web'}/status/{tweet['id']}", author_id=tweet.get("author_id"),
        author_handle=username.lower() if username else None, author_name=author.get("name"),
        text=tweet.get("text", ""), lang=tweet.get("lang"), created_at=parse_time(tweet.get("created_at")),
        parent_native_id=found.get("replied_to"), capture=capture)


def stub_tweet(tweet_id: str) -> ContentItem:
    """Placeholder for a referenced tweet X no longer serves (deleted, withheld, protected)."""
    return ContentItem(PLATFORM, tweet_id, stub=True, url=f"https://x.com/i/web/status/{tweet_id}")


def retweet_count(tweet: dict[str, Any]) -> int | None:
    """The tweet's own ``public_metrics.retweet_count``; None when not served (then no list is complete)."""
    metrics = tweet.get("public_metrics")
    count = metrics.get("retweet_count") if isinstance(metrics, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def retweeters_page(body: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """Users of one ``retweeted_by`` page and the next page's token (an empty page has no ``data``)."""
    users = [u for u in body.get("data") or [] if isinstance(u, dict) and "id" in u]
    token = (body.get("meta") or {}).get("next_token")
    return users, token if isinstance(token, str) and token else None
