"""The queue's search, "Kasus saya", sortable columns and the day's progress, on a real migrated database."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from core.models import Case, utcnow
from tests.review_ui.conftest import Browser


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-href="/cases/(\d+)"', html)]


def test_a_case_number_finds_its_case_in_every_spelling(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    b = login("reviewer")
    cid = seeded[1].id
    found = [_ids(b.client.get("/queue", params={"q": q}).text) for q in (str(cid), f"#{cid}", f"NTR-2024-{cid:05d}")]
    assert found == [[cid]] * 3


def test_a_name_does_not_find_a_case_while_blind_review_hides_the_person(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    b = login("reviewer")
    blind = _ids(b.client.get("/queue", params={"q": "pegawai rahasia 1", "status": "all"}).text)
    session.execute(update(Case).where(Case.id == seeded[1].id).values(status="confirmed"))
    session.commit()
    shown = _ids(b.client.get("/queue", params={"q": "pegawai rahasia 1", "status": "all"}).text)
    assert (blind, shown) == ([], [seeded[1].id])


def test_my_cases_lists_the_case_i_hold(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    b = login("reviewer")
    assert b.post(f"/cases/{seeded[2].id}/claim", {}).status_code == 303
    assert _ids(b.client.get("/queue", params={"mine": "1"}).text) == [seeded[2].id]


def test_sorting_by_age_puts_the_oldest_case_first(login: Callable[[str], Browser], seeded: list[Case],
                                                   session: Session) -> None:
    now = utcnow()
    for days, case in zip((1, 9, 4), seeded, strict=True):
        session.execute(update(Case).where(Case.id == case.id).values(created_at=now - timedelta(days=days)))
    session.commit()
    b = login("reviewer")
    by_priority = _ids(b.client.get("/queue").text)
    by_age = _ids(b.client.get("/queue", params={"sort": "age"}).text)
    assert (by_priority, by_age) == ([c.id for c in seeded], [seeded[1].id, seeded[2].id, seeded[0].id])


def test_progress_counts_todays_decisions_and_what_is_left(login: Callable[[str], Browser],
                                                          seeded: list[Case]) -> None:
    b = login("reviewer")
    r = b.post(f"/cases/{seeded[2].id}/dismiss", {"reason": "bukan konten kampanye", "version": seeded[2].version})
    assert r.status_code == 303, r.text
    line = re.search(r'id="queue-progress">([^<]*)<', b.client.get("/queue").text)
    assert line is not None and line.group(1).strip() == (
        "Diputuskan hari ini: 1 (oleh Anda: 1) · masih menunggu: 2")
