"""Bulk dismissal in two steps over HTTP on a real database: the first POST only asks for confirmation
(count, case numbers, reason; no names while blind), the second dismisses exactly the confirmed list."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import accounts
from core.models import Case, CaseEvent
from tests.review_ui.conftest import Browser

REASON = "sosialisasi KPU, bukan kampanye"


def _statuses(session: Session, seeded: list[Case]) -> list[str]:
    session.expire_all()
    return [session.get(Case, c.id).status for c in seeded]  # type: ignore[union-attr]


def _picked(b: Browser, cases: list[Case]) -> list[str]:
    return [f"{c.id}:{b.version(c.id)}" for c in cases]


def _confirm(picked: list[str], ids: list[int]) -> dict[str, object]:
    return {"case_id": picked, "reason": REASON, "confirm": "1", "confirmed": ",".join(map(str, ids))}


def test_the_first_post_states_the_count_numbers_and_reason_and_changes_nothing(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    b = login("reviewer")
    r = b.post("/queue/bulk-dismiss", {"case_id": _picked(b, seeded[1:]), "reason": REASON})
    assert r.status_code == 200
    assert "2 kasus akan tidak dilanjutkan" in r.text
    assert re.findall(r"NTR-2024-\d{5}", r.text) == [f"NTR-2024-{c.id:05d}" for c in seeded[1:]]
    assert REASON in r.text
    assert "Pegawai Rahasia" not in r.text and "Dinas 1" not in r.text  # blind: numbers only
    assert _statuses(session, seeded) == ["detected"] * 3


def test_only_the_confirmed_post_dismisses(login: Callable[[str], Browser], seeded: list[Case],
                                           session: Session) -> None:
    b = login("reviewer")
    picked = _picked(b, seeded[1:])
    r = b.post("/queue/bulk-dismiss", _confirm(picked, [c.id for c in seeded[1:]]))
    assert r.status_code == 303 and r.headers["location"] == "/queue?done=bulk&n=2"
    assert _statuses(session, seeded) == ["detected", "dismissed", "dismissed"]
    assert "2 kasus terpilih tidak dilanjutkan" in b.client.get(r.headers["location"]).text


def test_without_the_confirm_field_nothing_changes(login: Callable[[str], Browser], seeded: list[Case],
                                                   session: Session) -> None:
    b = login("reviewer")
    data = _confirm(_picked(b, seeded), [c.id for c in seeded])
    del data["confirm"]
    r = b.post("/queue/bulk-dismiss", data)
    assert r.status_code == 200 and _statuses(session, seeded) == ["detected"] * 3


def test_a_selection_wider_than_the_confirmed_list_is_refused(login: Callable[[str], Browser],
                                                              seeded: list[Case], session: Session) -> None:
    b = login("reviewer")
    r = b.post("/queue/bulk-dismiss", _confirm(_picked(b, seeded), [seeded[1].id, seeded[2].id]))
    assert r.status_code == 422 and "tidak sama dengan daftar yang Anda konfirmasi" in r.text
    assert _statuses(session, seeded) == ["detected"] * 3


def test_a_case_changed_between_the_two_steps_refuses_the_whole_dismissal(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    rina, budi = login("reviewer"), login("reviewer2")
    picked = _picked(rina, seeded[1:])
    assert rina.post("/queue/bulk-dismiss", {"case_id": picked, "reason": REASON}).status_code == 200
    budi.decide(seeded[2].id, "escalate", {"note": "perlu pimpinan"})
    r = rina.post("/queue/bulk-dismiss", _confirm(picked, [c.id for c in seeded[1:]]))
    assert r.status_code == 409 and "reviewer2" in r.text
    assert _statuses(session, seeded) == ["detected"] * 3
    dismissals = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "dismiss"))
    assert dismissals == 0


def test_a_recused_case_refuses_the_confirmation_and_the_dismissal(login: Callable[[str], Browser],
                                                                   seeded: list[Case], session: Session) -> None:
    b = login("reviewer")
    picked = _picked(b, seeded)
    accounts.set_unit(session, "reviewer", "Dinas 0")  # seeded[0] is about an employee of Dinas 0
    session.commit()
    r = b.post("/queue/bulk-dismiss", {"case_id": picked, "reason": REASON})
    assert r.status_code == 403 and "konflik kepentingan" in r.text
    r = b.post("/queue/bulk-dismiss", _confirm(picked, [c.id for c in seeded]))
    assert r.status_code == 403 and _statuses(session, seeded) == ["detected"] * 3


def test_a_confirmation_of_a_case_past_triage_is_refused(login: Callable[[str], Browser], seeded: list[Case],
                                                         session: Session) -> None:
    rina, budi = login("reviewer"), login("reviewer2")
    rina.decide(seeded[0].id, "confirm")
    budi.decide(seeded[0].id, "confirm")
    r = rina.post("/queue/bulk-dismiss", {"case_id": _picked(rina, seeded[:1]), "reason": REASON})
    assert r.status_code == 409 and _statuses(session, seeded)[0] == "confirmed"
