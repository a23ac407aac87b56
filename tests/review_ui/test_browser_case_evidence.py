"""Chromium: the case page's violation texts, rule elements in Indonesian and the evidence viewer.

The post card is drawn from a real archived payload (a Bluesky post view, JSON) and its archived
thumbnail; the page must request nothing outside 127.0.0.1.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import Case, Evidence, IncidentInteraction
from core.settings import Settings
from tests import factories
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login, watch_requests

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures

THUMB_URL = "https://cdn.example.org/img/feed_thumbnail/plain/did:plc:paslon/bafk1@jpeg"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 40), "orange").save(out, "PNG")
    return out.getvalue()


def _archive(session: Session, settings: Settings, body: bytes, media_type: str, url: str) -> Evidence:
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    sha, path = archive.put(body)
    row = Evidence(sha256=sha, media_type=media_type, size=len(body), source_url=url, headers={},
                   stored_path=path)
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def evidence_case(session: Session, settings: Settings) -> int:
    native = "at://did:plc:paslon/app.bsky.feed.post/3kabc"
    payload = {"posts": [{"uri": native, "author": {"handle": "paslon1.test"},
                          "record": {"text": "Ayo coblos nomor 1 tanggal 27 November!"},
                          "likeCount": 41, "repostCount": 7, "replyCount": 3,
                          "embed": {"$type": "app.bsky.embed.images#view",
                                    "images": [{"thumb": THUMB_URL, "fullsize": THUMB_URL + "-full", "alt": ""}]}}]}
    page_evidence = _archive(session, settings, json.dumps(payload).encode(), "application/json",
                             "https://public.api.example.org/xrpc/app.bsky.feed.getPosts")
    _archive(session, settings, _png(), "image/png", THUMB_URL)
    target = factories.content(session, native_id=native, text="Ayo coblos nomor 1 tanggal 27 November!",
                               author_name="Tim Paslon Satu", evidence_id=page_evidence.id)
    acc = factories.account(session)
    like = factories.interaction(session, actor=acc, target=target, kind="like", occurred_at=None)
    case = factories.case(session, acc.employee, target, rule_elements=[
        "KE-4/HD-6: liked an item or account",
        "KE-4/HD-6: target is an official campaign account (counts whatever its text)"])
    session.add(IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=like.id))
    session.commit()
    return case.id


def test_codes_show_their_annex_text_track_level_and_source(new_page: Callable[[], object],
                                                           evidence_case: int) -> None:
    page = new_page()
    login(page, "reviewer")
    page.goto(f"/cases/{evidence_case}")  # type: ignore[attr-defined]
    section = page.locator("#violations").inner_text()  # type: ignore[attr-defined]
    assert "Dugaan pelanggaran" in section
    assert "Membuat posting, comment, share, like" in page.locator("#violation-KE-4").inner_text()  # type: ignore[attr-defined]
    assert "PP 94/2021" in page.locator("#violation-HD-6").inner_text()  # type: ignore[attr-defined]
    assert "Keputusan Bersama" in page.locator("#violation-KE-4 .source").inner_text()  # type: ignore[attr-defined]


def test_rule_elements_read_in_indonesian(new_page: Callable[[], object], evidence_case: int) -> None:
    page = new_page()
    login(page, "reviewer")
    page.goto(f"/cases/{evidence_case}")  # type: ignore[attr-defined]
    elements = page.locator("#rule-elements").inner_text()  # type: ignore[attr-defined]
    assert "menyukai" in elements and "liked" not in elements and "whatever" not in elements


def test_evidence_card_draws_the_archived_post_and_asks_nothing_outside(
        new_page: Callable[[], object], evidence_case: int) -> None:
    page = new_page()
    outside = watch_requests(page)
    login(page, "reviewer")
    page.goto(f"/cases/{evidence_case}")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    card = page.locator("#post-card")  # type: ignore[attr-defined]
    assert "Ayo coblos nomor 1 tanggal 27 November!" in card.locator("#post-text").inner_text()
    assert "41" in card.inner_text() and "Tim Paslon Satu" in card.inner_text()
    assert page.evaluate("document.querySelector('#post-card .thumbs img').naturalWidth") == 64  # type: ignore[attr-defined]
    assert outside == []


def test_a_like_without_platform_time_says_so(new_page: Callable[[], object], evidence_case: int) -> None:
    page = new_page()
    login(page, "reviewer")
    page.goto(f"/cases/{evidence_case}")  # type: ignore[attr-defined]
    assert "waktu tidak diberikan platform; pertama terlihat" in page.locator("#evidence-times").inner_text()  # type: ignore[attr-defined]


def test_reasons_read_as_words_without_feature_jargon(new_page: Callable[[], object], session: Session,
                                                      evidence_case: int) -> None:
    case = session.get(Case, evidence_case)
    assert case is not None
    inc = case.incidents[0]
    assert inc.target_content is not None
    factories.classification(session, inc.target_content, model_version=inc.model_version, reasons=[
        {"kind": "cue", "label": "coblos", "text": "coblos", "start": 4, "end": 10},
        {"kind": "cue", "label": "coblos", "text": "coblos", "start": 4, "end": 10},
        {"kind": "ngram", "label": "ngram", "text": "untuk"},
        {"kind": "ngram", "label": "ngram", "text": "PASLON ."}, {"kind": "ngram", "label": "ngram", "text": "nomor"}])
    session.commit()
    page = new_page()
    login(page, "reviewer")
    page.goto(f"/cases/{evidence_case}")  # type: ignore[attr-defined]
    text = page.locator("#reasons").inner_text()  # type: ignore[attr-defined]
    assert "ngram" not in text and "untuk" not in text and text.count("«coblos»") == 1 and "«nomor»" in text
