"""Facebook Graph response -> record conversion, offline: a ``/comments`` page in the documented shape.

``payloads/facebook/comments.json`` shows the ways real answers differ from the reference: a comment
without ``from`` (a commenter the token cannot see), a sticker comment without ``message``, a last page
with ``paging.cursors`` but no ``next``, and a ``summary.total_count`` larger than what is listed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.http import TextResponse

from crawlers import facebook_parse as fp

PAYLOADS = Path(__file__).parent / "payloads" / "facebook"


def recorded(name: str) -> dict[str, Any]:
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    response = TextResponse(data["url"], status=data["status"], headers=data["headers"],
                            body=json.dumps(data["body"]).encode("utf-8"), encoding="utf-8")
    body: dict[str, Any] = json.loads(response.text)
    return body


def comments() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = recorded("comments")["data"]
    return data


def test_a_comment_becomes_content_on_its_post() -> None:
    item = fp.comment_content(comments()[0], "123_456")
    assert (item.native_id, item.author_id, item.parent_native_id, item.text) == (
        "456_901", "1000001", "123_456", "Nomor satu pasti menang!")


def test_graph_time_with_a_colonless_offset_is_parsed() -> None:
    assert fp.comment_content(comments()[0], "123_456").created_at == datetime(2024, 10, 4, 10, tzinfo=UTC)


def test_a_reply_points_at_its_parent_comment() -> None:
    assert fp.comment_content(comments()[1], "123_456").parent_native_id == "456_901"


def test_a_comment_without_from_has_no_author() -> None:
    assert fp.comment_author_id(comments()[1]) is None


def test_a_comment_without_message_has_empty_text() -> None:
    assert fp.comment_content(comments()[2], "123_456").text == ""


def test_the_summary_total_count_is_read() -> None:
    assert fp.comments_total(recorded("comments")) == 5


def test_no_summary_means_an_unknown_total() -> None:
    assert fp.comments_total({"data": []}) is None


def test_the_last_page_has_no_next_url() -> None:
    assert fp.next_url(recorded("comments")) is None


def test_a_page_post_takes_the_registered_page_handle() -> None:
    post = fp.post_content({"id": "123_456", "from": {"id": "123", "name": "Paslon Satu"},
                            "created_time": "2024-10-01T08:00:00+0000"}, "paslonsatu")
    assert (post.author_handle, post.author_id, post.text) == ("paslonsatu", "123", "")
