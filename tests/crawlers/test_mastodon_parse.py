"""Mastodon response -> record conversion, offline: recorded payloads as Scrapy ``TextResponse`` objects.

The payloads in ``payloads/mastodon/`` were recorded from the synthetic Mastodon-API server running with the
deviations real servers show (paging that skips accounts, no batch status lookup); the conversion in
:mod:`crawlers.mastodon_parse` is pure, so it is checked here without a crawl process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.http import TextResponse

from crawlers import mastodon_parse as mp
from crawlers.spiders.mastodon import UNSUPPORTED

PAYLOADS = Path(__file__).parent / "payloads" / "mastodon"


def recorded(name: str) -> TextResponse:
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return TextResponse(data["url"], status=data["status"], headers=data["headers"],
                        body=json.dumps(data["body"]).encode("utf-8"), encoding="utf-8")


def body(response: TextResponse) -> Any:
    return json.loads(response.text)


def test_a_campaign_status_becomes_content_with_its_instance_and_id() -> None:
    status = body(recorded("campaign_statuses"))[0]
    item = mp.status_content(status, "mastodon.test")
    assert item is not None
    assert (item.native_id, item.author_id, item.extra["id"]) == (
        "https://mastodon.test/users/camp0/statuses/10000000", "camp0@mastodon.test", "10000000")


def test_status_text_is_plain_indonesian_without_markup() -> None:
    item = mp.status_content(body(recorded("campaign_statuses"))[0], "mastodon.test")
    assert item is not None and item.text.startswith("Status 10000000 dari camp0: ayo dukung nomor urut")


def test_the_counter_the_completeness_check_uses_is_in_the_entity() -> None:
    assert body(recorded("campaign_statuses"))[0]["favourites_count"] == 3


def test_a_skipping_page_holds_fewer_accounts_than_the_counter() -> None:
    page = recorded("favourited_by_page1")
    accounts = [mp.full_acct(a, "mastodon.test") for a in body(page)]
    assert accounts == ["emp4@mastodon.test", "emp2@mastodon.test"]


def test_the_next_link_of_a_skipping_page_is_followed_as_given() -> None:
    page = recorded("favourited_by_page1")
    assert mp.next_link((page.headers.get("Link") or b"").decode()) == \
        "https://mastodon.test/api/v1/statuses/10000000/favourited_by?max_id=1000&limit=2"


def test_a_405_on_the_batch_lookup_is_not_supported_not_gone() -> None:
    assert recorded("batch_lookup_405").status in UNSUPPORTED


def test_employee_statuses_are_posts_replies_and_quotes() -> None:
    kinds = [mp.status_kind(s) for s in body(recorded("employee_statuses"))]
    assert sorted(kinds) == ["comment", "post", "post", "quote"]  # one campaign status: no boost left


def test_a_reply_points_at_its_parent_status() -> None:
    reply = next(s for s in body(recorded("employee_statuses")) if mp.status_kind(s) == "comment")
    assert reply["in_reply_to_id"] == "10000000"
