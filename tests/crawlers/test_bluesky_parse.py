"""Bluesky (AT Protocol) payload -> record conversion, offline: :mod:`crawlers.atproto` on recorded shapes.

``payloads/bluesky/get_posts.json`` is a ``getPosts`` answer in the lexicon's shape with what real
AppViews serve besides: a quote wrapped in ``recordWithMedia``, a post without ``langs`` or ``cid``, an
author whose handle no longer verifies (``handle.invalid``), and a blocked post view without a record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.http import TextResponse

from crawlers import atproto

PAYLOADS = Path(__file__).parent / "payloads" / "bluesky"
WEB = "https://bsky.app"
CAMPAIGN_POST = "at://did:plc:camp1/app.bsky.feed.post/3l2s5xxnmbc2a"


def views() -> list[dict[str, Any]]:
    data = json.loads((PAYLOADS / "get_posts.json").read_text(encoding="utf-8"))
    response = TextResponse(data["url"], status=data["status"], headers=data["headers"],
                            body=json.dumps(data["body"]).encode("utf-8"), encoding="utf-8")
    posts: list[dict[str, Any]] = json.loads(response.text)["posts"]
    return posts


def test_a_post_view_becomes_content_with_author_language_and_cid() -> None:
    item = atproto.view_content(views()[0], WEB)
    assert item is not None
    assert (item.author_id, item.author_handle, item.lang, item.extra["cid"]) == (
        "did:plc:camp1", "paslon1.test", "id", "bafyreia1")


def test_the_web_link_names_the_handle_and_record_key() -> None:
    item = atproto.view_content(views()[0], WEB)
    assert item is not None and item.url == "https://bsky.app/profile/paslon1.test/post/3l2s5xxnmbc2a"


def test_a_quote_inside_record_with_media_is_a_quote_of_that_post() -> None:
    item = atproto.view_content(views()[1], WEB)
    assert item is not None and (item.kind, item.parent_native_id) == ("quote", CAMPAIGN_POST)


def test_a_post_without_langs_has_no_language() -> None:
    item = atproto.view_content(views()[1], WEB)
    assert item is not None and item.lang is None


def test_a_reply_is_a_comment_on_its_parent() -> None:
    item = atproto.view_content(views()[2], WEB)
    assert item is not None and (item.kind, item.parent_native_id) == ("comment", CAMPAIGN_POST)


def test_a_reply_without_milliseconds_is_dated() -> None:
    item = atproto.view_content(views()[2], WEB)
    assert item is not None and item.created_at == datetime(2024, 10, 5, 11, tzinfo=UTC)


def test_a_blocked_post_view_is_not_content() -> None:
    assert atproto.view_content(views()[3], WEB) is None


def test_the_stub_of_a_vanished_post_is_marked_unavailable() -> None:
    stub = atproto.stub_content("at://did:plc:gone/app.bsky.feed.post/3l2s8cccccc2a", WEB)
    assert (stub.stub, stub.extra, stub.author_id) == (True, {"unavailable": True}, "did:plc:gone")


def test_a_record_key_that_is_a_tid_gives_its_minting_time() -> None:
    minted = atproto.tid_time("3l2s5xxnmbc2a")
    assert minted is not None and minted.year == 2024


def test_a_record_key_that_is_no_tid_gives_no_time() -> None:
    assert atproto.tid_time("self") is None


def test_the_pds_is_read_from_a_did_document_by_service_type() -> None:
    doc = {"id": "did:web:pds.test", "service": [
        {"id": "did:web:pds.test#other", "type": "Other", "serviceEndpoint": "https://x.test"},
        {"id": "#pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://pds.test/"}]}
    assert atproto.pds_endpoint(doc) == "https://pds.test"


def test_a_did_document_without_pds_names_none() -> None:
    assert atproto.pds_endpoint({"id": "did:plc:x", "service": []}) is None
