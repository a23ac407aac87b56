"""After "Simpan & lanjut" the next case's page names the case decided (number and decision), not a generic
banner; the decided case's own page keeps the plain banner; a made-up ``decided`` id names nothing."""

from __future__ import annotations

from collections.abc import Callable

from core.models import Case
from tests.review_ui.conftest import Browser


def _banner(b: Browser, location: str) -> str:
    html = b.client.get(location).text
    start = html.index('id="done-banner">') + len('id="done-banner">')
    return html[start:html.index("</p>", start)]


def test_save_and_next_names_the_confirmed_case_on_the_next_page(login: Callable[[str], Browser],
                                                                 seeded: list[Case]) -> None:
    rina, budi = login("reviewer"), login("reviewer2")
    rina.decide(seeded[0].id, "confirm")
    r = budi.decide(seeded[0].id, "confirm", {"next": "1"})
    assert r.headers["location"].startswith(f"/cases/{seeded[1].id}?")
    assert _banner(budi, r.headers["location"]) == (
        f"Kasus NTR-2024-{seeded[0].id:05d} dikonfirmasi oleh dua penelaah.")


def test_save_and_next_names_the_dismissed_case(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    b = login("reviewer")
    r = b.decide(seeded[0].id, "dismiss", {"reason": "bukan konten kampanye", "next": "1"})
    assert _banner(b, r.headers["location"]) == f"Kasus NTR-2024-{seeded[0].id:05d} tidak dilanjutkan."


def test_save_and_next_names_the_first_look_and_the_escalation(login: Callable[[str], Browser],
                                                               seeded: list[Case]) -> None:
    b = login("reviewer")
    r = b.decide(seeded[0].id, "confirm", {"next": "1"})
    assert _banner(b, r.headers["location"]).startswith(f"Kasus NTR-2024-{seeded[0].id:05d}: telaah pertama")
    r = b.decide(seeded[1].id, "escalate", {"note": "perlu pimpinan", "next": "1"})
    assert _banner(b, r.headers["location"]) == f"Kasus NTR-2024-{seeded[1].id:05d} dieskalasi."


def test_the_last_case_decided_is_named_on_the_empty_queue(login: Callable[[str], Browser],
                                                           seeded: list[Case]) -> None:
    b = login("reviewer")
    for case in seeded[:2]:
        b.decide(case.id, "dismiss", {"reason": "bukan konten kampanye"})
    r = b.decide(seeded[2].id, "dismiss", {"reason": "bukan konten kampanye", "next": "1"})
    assert r.headers["location"].startswith("/queue?")
    assert f"Kasus NTR-2024-{seeded[2].id:05d} tidak dilanjutkan." in b.client.get(r.headers["location"]).text


def test_without_save_and_next_the_banner_stays_plain(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    b = login("reviewer")
    r = b.decide(seeded[0].id, "escalate", {"note": "perlu pimpinan"})
    assert _banner(b, r.headers["location"]) == "Kasus dieskalasi."


def test_an_unknown_decided_id_falls_back_to_the_plain_banner(login: Callable[[str], Browser],
                                                              seeded: list[Case]) -> None:
    b = login("reviewer")
    assert _banner(b, f"/cases/{seeded[0].id}?done=escalated&decided=999999") == "Kasus dieskalasi."
