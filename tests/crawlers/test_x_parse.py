"""X API v2 response -> record conversion, offline: payloads in the documented shapes as ``TextResponse``.

The payloads in ``payloads/x/`` follow developer.x.com's examples and the ways real answers differ from
them: optional fields only when asked for, a deleted referenced tweet named in ``errors`` and missing
from ``includes``, a last page with no ``data`` and no ``next_token``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.http import TextResponse

from crawlers import x_parse as xp

PAYLOADS = Path(__file__).parent / "payloads" / "x"


def recorded(name: str) -> dict[str, Any]:
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    response = TextResponse(data["url"], status=data["status"], headers=data["headers"],
                            body=json.dumps(data["body"]).encode("utf-8"), encoding="utf-8")
    body: dict[str, Any] = json.loads(response.text)
    return body


def tweets() -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in recorded("user_tweets")["data"]}


def test_an_original_tweet_is_a_post_without_target() -> None:
    assert xp.interaction_kind(tweets()["5001"]) == ("post", None)


def test_a_retweet_is_a_share_of_the_retweeted_tweet() -> None:
    assert xp.interaction_kind(tweets()["5002"]) == ("share", "9001")


def test_a_reply_is_a_comment_on_its_parent() -> None:
    assert xp.interaction_kind(tweets()["5003"]) == ("comment", "9002")


def test_a_quote_is_a_quote_of_the_quoted_tweet() -> None:
    assert xp.interaction_kind(tweets()["5004"]) == ("quote", "9003")


def test_tweet_content_takes_the_author_from_includes_lowercased() -> None:
    body = recorded("user_tweets")
    item = xp.tweet_content(tweets()["5001"], xp.users_of(body))
    assert (item.author_handle, item.author_name, item.url) == (
        "pegawai1", "Pegawai Satu", "https://x.com/Pegawai1/status/5001")


def test_a_reply_keeps_its_parent_id() -> None:
    item = xp.tweet_content(tweets()["5003"], {})
    assert (item.kind, item.parent_native_id) == ("comment", "9002")


def test_a_tweet_without_optional_fields_still_converts() -> None:
    item = xp.tweet_content({"id": "77", "text": "Halo", "edit_history_tweet_ids": ["77"]}, {})
    assert (item.native_id, item.author_id, item.created_at, item.url) == (
        "77", None, None, "https://x.com/i/web/status/77")


def test_a_deleted_referenced_tweet_is_missing_from_includes() -> None:
    assert set(xp.referenced_of(recorded("user_tweets"))) == {"9001", "9002"}


def test_the_stub_of_a_deleted_tweet_is_marked_stub() -> None:
    stub = xp.stub_tweet("9003")
    assert (stub.stub, stub.url) == (True, "https://x.com/i/web/status/9003")


def test_retweet_count_comes_from_public_metrics() -> None:
    assert xp.retweet_count(recorded("user_tweets")["includes"]["tweets"][0]) == 3


def test_retweet_count_is_unknown_when_not_served() -> None:
    assert xp.retweet_count(recorded("user_tweets")["includes"]["tweets"][1]) is None


def test_a_retweeters_page_gives_users_and_the_next_token() -> None:
    users, token = xp.retweeters_page(recorded("retweeted_by"))
    assert ([u["username"] for u in users], token) == (["Pegawai1", "warga_biasa"], "abc")


def test_the_last_retweeters_page_has_no_data_and_no_token() -> None:
    assert xp.retweeters_page(recorded("retweeted_by_last")) == ([], None)


def test_referenced_tweets_of_unknown_shape_are_ignored() -> None:
    assert xp.refs({"id": "1", "referenced_tweets": [{"type": "retweeted"}, "x"]}) == {}
