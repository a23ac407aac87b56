"""YouTube Data API v3 response -> record conversion, offline: payloads in the documented shapes.

``payloads/youtube/`` follows the reference's examples and the ways real answers differ: a private
upload without ``videoPublishedAt``, a deleted author without ``authorChannelId``, ``textOriginal``
missing for viewers other than the author, a thread whose replies are not all inlined.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.http import TextResponse

from crawlers import youtube_parse as yp

PAYLOADS = Path(__file__).parent / "payloads" / "youtube"
CHANNEL: dict[str, Any] = {"id": "UCcampaign00000000000001",
                           "snippet": {"title": "Paslon Dua", "customUrl": "@PaslonDua"}}


def recorded(name: str) -> dict[str, Any]:
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    response = TextResponse(data["url"], status=data["status"], headers=data["headers"],
                            body=json.dumps(data["body"]).encode("utf-8"), encoding="utf-8")
    body: dict[str, Any] = json.loads(response.text)
    return body


def threads() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = recorded("comment_threads")["items"]
    return items


def test_an_upload_becomes_a_video_with_title_and_description() -> None:
    video = yp.video_content(recorded("playlist_items")["items"][0], CHANNEL)
    assert (video.native_id, video.kind, video.text) == (
        "dQw4w9WgXcQ", "video", "Visi dan misi paslon 2\n\nProgram kerja lima tahun")


def test_a_video_is_dated_by_its_publication_not_its_playlist_entry() -> None:
    video = yp.video_content(recorded("playlist_items")["items"][0], CHANNEL)
    assert video.created_at == datetime(2024, 9, 30, 10, tzinfo=UTC)


def test_a_private_upload_without_publication_time_falls_back_to_the_entry_time() -> None:
    video = yp.video_content(recorded("playlist_items")["items"][1], CHANNEL)
    assert video.created_at == datetime(2024, 10, 2, 10, tzinfo=UTC)


def test_the_channel_handle_is_its_custom_url_lowercased() -> None:
    video = yp.video_content(recorded("playlist_items")["items"][0], CHANNEL)
    assert video.author_handle == "paslondua"


def test_a_channel_without_custom_url_has_no_handle() -> None:
    video = yp.video_content(recorded("playlist_items")["items"][0], {"id": "UCx", "snippet": {}})
    assert video.author_handle is None


def test_a_comment_author_is_its_channel_id_and_handle() -> None:
    top = threads()[0]["snippet"]["topLevelComment"]
    assert yp.comment_author(top) == ("UCpegawai0000000000000001", "pegawai1")


def test_a_deleted_author_has_no_channel_id() -> None:
    top = threads()[1]["snippet"]["topLevelComment"]
    assert yp.comment_author(top) == (None, "akun terhapus")


def test_a_comment_without_text_original_uses_text_display() -> None:
    top = threads()[1]["snippet"]["topLevelComment"]
    assert yp.comment_content(top, "dQw4w9WgXcQ").text == "Kapan &quot;debat&quot; berikutnya?"


def test_a_reply_points_at_its_parent_comment() -> None:
    reply = threads()[0]["replies"]["comments"][0]
    assert yp.comment_content(reply, "dQw4w9WgXcQ").parent_native_id == "UgzThread1"


def test_a_top_level_comment_points_at_the_video() -> None:
    top = threads()[0]["snippet"]["topLevelComment"]
    assert yp.comment_content(top, "dQw4w9WgXcQ").parent_native_id == "dQw4w9WgXcQ"


def test_a_thread_gives_its_inlined_replies_and_total_count() -> None:
    inlined, total = yp.thread_replies(threads()[0])
    assert ([c["id"] for c in inlined], total) == (["UgzThread1.r1"], 7)


def test_a_thread_without_replies_inlines_none() -> None:
    assert yp.thread_replies(threads()[1]) == ([], 0)


def test_next_page_token_is_read_and_missing_on_the_last_page() -> None:
    assert (yp.next_page(recorded("playlist_items")), yp.next_page(recorded("comment_threads"))) == ("CDIQAA", None)
