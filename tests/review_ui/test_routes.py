"""Route tests on a real database: login and sessions, security headers, queue, case page, decisions."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEvent, Case, CaseStatus, Classification, LoginAttempt, LoginOutcome
from tests import factories
from tests.review_ui.conftest import PASSWORD, Browser, csrf_of


def _status(session: Session, case_id: int) -> str:
    session.expire_all()
    case = session.get(Case, case_id)
    assert case is not None
    return case.status


def test_login_sets_strict_httponly_cookie_and_logout_ends_the_session(
        app: FastAPI, users: dict[str, str]) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token},
                        follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/queue"
        cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and "netral_session=" in v)
        assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Secure" not in cookie
        stolen = client.cookies.get("netral_session")
        assert stolen is not None
        page = client.get("/queue")
        assert page.status_code == 200
        r = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert r.status_code == 303
    with TestClient(app, base_url="http://127.0.0.1", cookies={"netral_session": stolen}) as replay:
        assert replay.get("/queue", follow_redirects=False).headers["location"] == "/login"


def test_cookies_are_secure_under_https(app: FastAPI, users: dict[str, str]) -> None:
    with TestClient(app, base_url="https://127.0.0.1") as client:
        r = client.get("/login")
        assert "Secure" in r.headers["set-cookie"]
        token = csrf_of(r.text)
        r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token},
                        follow_redirects=False)
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_login_is_throttled_after_repeated_failures(app: FastAPI, users: dict[str, str],
                                                    session: Session) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = csrf_of(client.get("/login").text)
        for _ in range(5):
            r = client.post("/login", data={"username": "reviewer", "password": "salah-salah",
                                            "csrf_token": token})
            assert r.status_code == 401
        r = client.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 429  # even the right password is refused from this address during the wait
        assert "Terlalu banyak" in r.text
    assert session.scalar(select(LoginAttempt.id).where(LoginAttempt.outcome == LoginOutcome.SUCCESS)) is None


def test_security_headers(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        r = client.get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "<script>" not in r.text.replace('<script src="/static/', "")  # no inline script


def test_queue_is_in_priority_order_and_filters(login: Callable[[str], Browser], seeded: list[Case],
                                                session: Session) -> None:
    b = login("reviewer")
    html = b.client.get("/queue").text
    positions = [html.index(f'data-href="/cases/{c.id}"') for c in seeded]
    assert positions == sorted(positions)  # seeded in descending priority
    only = b.client.get("/queue", params={"unit": "Dinas 1"}).text
    assert f'data-href="/cases/{seeded[1].id}"' in only and f'data-href="/cases/{seeded[0].id}"' not in only
    scored = b.client.get("/queue", params={"score_min": "0.5", "score_max": "0.7"}).text
    assert [c.id for c in seeded if f'data-href="/cases/{c.id}"' in scored] == [seeded[1].id]
    assert 'data-href' not in b.client.get("/queue", params={"code": "HD-5"}).text
    assert f'/cases/{seeded[2].id}"' in b.client.get("/queue", params={"code": "KE-4"}).text
    assert 'data-href' not in b.client.get("/queue", params={"platform": "youtube"}).text
    assert 'data-href' not in b.client.get("/queue", params={"status": "closed"}).text
    partial = b.client.get("/queue", headers={"HX-Request": "true"}).text
    assert partial.lstrip().startswith("<p class=\"count\">") and "<html" not in partial


def test_take_next_claims_and_hides_the_case_from_others(login: Callable[[str], Browser],
                                                         seeded: list[Case], session: Session) -> None:
    first, second = login("reviewer"), login("reviewer2")
    r = first.post("/queue/next")
    assert r.headers["location"] == f"/cases/{seeded[0].id}"
    r = second.post("/queue/next")
    assert r.headers["location"] == f"/cases/{seeded[1].id}"
    assert _status(session, seeded[0].id) == CaseStatus.IN_TRIAGE
    # The holder may act; the other reviewer is refused while the claim lasts.
    r = second.decide(seeded[0].id, "dismiss", {"reason": "bukan"})
    assert r.status_code == 409 and "Peninjau lain" in r.text


def test_four_eyes_over_http(login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    rina, budi = login("reviewer"), login("reviewer2")
    case_id = seeded[0].id
    r = rina.decide(case_id, "confirm", {"note": "jelas"})
    assert r.status_code == 303 and _status(session, case_id) == CaseStatus.AWAITING_SECOND
    r = rina.post(f"/cases/{case_id}/confirm", {"version": budi.version(case_id)})
    assert r.status_code == 409 and "Peninjau kedua yang berbeda" in r.text
    # "Simpan & lanjut": the second confirmation moves straight to the next case.
    r = budi.decide(case_id, "confirm", {"next": "1"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/cases/{seeded[1].id}")
    assert _status(session, case_id) == CaseStatus.CONFIRMED
    page = budi.client.get(f"/cases/{case_id}").text
    assert "Teruskan ke Bawaslu/BKN" in page


def test_dismiss_needs_a_reason_and_bulk_dismiss(login: Callable[[str], Browser], seeded: list[Case],
                                                 session: Session) -> None:
    b = login("reviewer")
    r = b.decide(seeded[0].id, "dismiss", {"reason": "  "})
    assert r.status_code == 422 and "Alasan wajib" in r.text
    assert _status(session, seeded[0].id) == CaseStatus.DETECTED
    picked = [f"{c.id}:{b.version(c.id)}" for c in seeded[1:]]
    r = b.post("/queue/bulk-dismiss", {"case_id": picked, "reason": ""})
    assert r.status_code == 422
    r = b.post("/queue/bulk-dismiss", {"case_id": picked, "reason": "sosialisasi KPU netral"})
    assert r.status_code == 200 and "2 kasus akan tidak dilanjutkan" in r.text  # a confirmation, no change
    r = b.post("/queue/bulk-dismiss", {"case_id": picked, "reason": "sosialisasi KPU netral", "confirm": "1",
                                       "confirmed": ",".join(str(c.id) for c in seeded[1:])})
    assert r.status_code == 303
    assert [_status(session, c.id) for c in seeded] == ["detected", "dismissed", "dismissed"]


def test_due_process_forms(login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    a, b = login("reviewer"), login("reviewer2")
    cid = seeded[0].id
    a.decide(cid, "confirm")
    b.decide(cid, "confirm")
    r = a.decide(cid, "advance", {"action": "forward", "reference": "", "on": "2024-10-08", "to": "bkn"})
    assert r.status_code == 422 and "Nomor surat wajib" in r.text
    r = a.decide(cid, "advance", {"action": "forward", "reference": "800/1/BKPSDM", "on": "2024-10-08",
                                  "to": "bawaslu"})
    assert r.status_code == 303 and _status(session, cid) == CaseStatus.FORWARDED
    page = a.client.get(f"/cases/{cid}").text
    assert "800/1/BKPSDM" in page and "Catat rekomendasi" in page


def test_case_page_blind_review_audit_and_escaping(login: Callable[[str], Browser], session: Session,
                                                   users: dict[str, str]) -> None:
    emp = factories.employee(session, name="Siti Rahasia", unit="Dinas Pendidikan")
    text = 'Ayo <script>alert(1)</script> coblos no 2 <img src=x onerror=alert(2)>'
    target = factories.content(session, text=text, url="javascript:alert(3)")
    at = text.index("coblos")
    factories.classification(session, target, reasons=[
        {"kind": "ballot_number", "text": "nomor urut", "start": at, "end": at + 7},
        {"kind": "bad\" onmouseover=\"x", "text": "x", "start": 0, "end": 3}])
    case = factories.case(session, emp, target)
    session.commit()
    rina, budi = login("reviewer"), login("reviewer2")
    html = rina.client.get(f"/cases/{case.id}").text
    assert "Siti Rahasia" not in html and emp.id_number not in html and 'id="identity-hidden"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<img src=x" not in html
    assert "javascript:alert(3)" not in html  # no link from a javascript: URL
    assert '<mark class="hl hl-ballot_number" title="nomor urut">coblos </mark>' in html
    assert '<mark class="hl hl-other"' in html and 'onmouseover="x' not in html
    rina.decide(case.id, "confirm")
    html = budi.client.get(f"/cases/{case.id}").text
    assert "Siti Rahasia" in html and emp.id_number in html and "Dinas Pendidikan" in html
    views = session.execute(select(AuditEvent.actor, AuditEvent.details).where(
        AuditEvent.action == "case.view", AuditEvent.object_id == str(case.id)).order_by(AuditEvent.id)).all()
    assert [(a, d["identity_shown"]) for a, d in views][-2:] == [("reviewer", False), ("reviewer2", True)]


def test_case_page_shows_evidence_reasons_and_codes(login: Callable[[str], Browser], session: Session,
                                                    users: dict[str, str]) -> None:
    from core.models import Evidence

    ev = Evidence(sha256="ab" * 32, media_type="application/json", size=120, source_url="https://bsky.example/x",
                  stored_path="ab/abab.json")
    session.add(ev)
    session.flush()
    target = factories.content(session, evidence_id=ev.id, text="Dukung Paslon 1")
    cl = factories.classification(session, target, reasons=[{"kind": "pair", "text": "Paslon 1",
                                                             "start": 7, "end": 15}])
    case = factories.case(session, target=target, candidate_codes=["KE-4", "HD-6"], model_version=cl.model_version)
    session.commit()
    html = login("auditor").client.get(f"/cases/{case.id}").text
    assert "ab" * 32 in html and "Diambil pada" in html
    assert '<mark class="hl hl-pair" title="Paslon 1">Paslon 1</mark>' in html
    assert "KE-4" in html and "bergabung/follow grup" in html and "HD-6" in html
    assert "sasarannya konten kampanye" in html  # rule elements met, in Indonesian
    assert 'id="confirm-form"' not in html  # the auditor reads only
    assert session.scalar(select(Classification.id)) is not None


def test_language_switch(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    b = login("reviewer")
    assert "Antrean telaah" in b.client.get("/queue").text
    r = b.post("/lang", {"lang": "en", "next": "/queue"})
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    html = b.client.get("/queue").text
    assert "Review queue" in html and "Antrean telaah" not in html
    r = b.post("/lang", {"lang": "id", "next": "https://evil.example/"})
    assert r.headers["location"] == "/"  # no open redirect


def test_dashboard_aggregates_without_identifiers(login: Callable[[str], Browser], seeded: list[Case],
                                                  session: Session) -> None:
    desk = login("desk")
    html = desk.client.get("/dashboard").text
    assert html.count('class="chart"') == 5 and "Dinas 0" in html and "KE-4" in html
    assert "Pegawai Rahasia" not in html
    for case in seeded:
        assert case.employee.id_number not in html
    assert desk.client.get("/queue").status_code == 403


def test_audit_page_verifies_the_chain(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    html = login("auditor").client.get("/audit").text
    assert 'id="chain-ok"' in html and "user.login" in html



def test_queue_count_stops_at_the_cap(app: FastAPI, login: Callable[[str], Browser], seeded: list[Case],
                                      session: Session, monkeypatch: object) -> None:
    import review_ui.queue

    for _ in range(5):
        factories.case(session, priority=0.1)
    session.commit()
    monkeypatch.setattr(review_ui.queue, "COUNT_CAP", 6)  # type: ignore[attr-defined]
    monkeypatch.setattr(app.state.settings, "queue_page_size", 5)  # type: ignore[attr-defined]
    b = login("reviewer")
    html = b.client.get("/queue").text
    assert "lebih dari 6 kasus" in html and html.count("data-href=") == 5
    html = b.client.get("/queue", params={"page": "2"}).text  # the last page counts exactly again
    assert "8 kasus" in html and html.count("data-href=") == 3


def test_times_are_shown_in_the_regency_time_zone(login: Callable[[str], Browser], session: Session,
                                                  users: dict[str, str]) -> None:
    from datetime import UTC, datetime

    target = factories.content(session, created_at=datetime(2024, 10, 1, 8, 0, tzinfo=UTC))
    case = factories.case(session, target=target)
    session.commit()
    html = login("auditor").client.get(f"/cases/{case.id}").text
    assert "2024-10-01 16:00 WITA" in html  # Asia/Makassar is UTC+8


def test_bad_path_parameter_gets_an_error_page(login: Callable[[str], Browser]) -> None:
    r = login("reviewer").client.get("/cases/abc")
    assert r.status_code == 422 and "Permintaan ditolak." in r.text
    assert login("reviewer").client.get("/cases/999999").status_code == 404


def test_refused_summons_names_the_earliest_date_and_keeps_the_form(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    a, b = login("reviewer"), login("reviewer2")
    cid = seeded[0].id
    a.decide(cid, "confirm")
    b.decide(cid, "confirm")
    a.decide(cid, "advance", {"action": "forward", "reference": "800/1", "on": "2024-10-08", "to": "bkn"})
    a.decide(cid, "advance", {"action": "recommendation", "reference": "REK-1", "on": "2024-10-15",
                              "issuer": "bawaslu", "summary": "diteruskan"})
    page = a.client.get(f"/cases/{cid}").text
    assert 'id="deadline-summon"' in page
    r = a.decide(cid, "advance", {"action": "summon", "reference": "S-77/BKPSDM", "on": "2024-10-16",
                                  "examination_on": "2024-10-24", "note": "diantar kurir"})
    assert (r.status_code, "2024-10-25" in r.text, 'value="S-77/BKPSDM"' in r.text,
            'value="2024-10-24"' in r.text, 'value="diantar kurir"' in r.text) == (422, True, True, True, True)


def test_a_step_dated_in_the_future_is_refused_naming_today(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    from core import cases as core_cases
    from core.settings import Settings as S

    a, b = login("reviewer"), login("reviewer2")
    cid = seeded[0].id
    a.decide(cid, "confirm")
    b.decide(cid, "confirm")
    r = a.decide(cid, "advance", {"action": "forward", "reference": "800/1", "on": "2999-01-01", "to": "bkn"})
    today = core_cases.local_today(S())
    assert (r.status_code, today.isoformat() in r.text, _status(session, cid)) == (422, True, "confirmed")


def test_recommendation_with_issuer_summary_and_letter_file_shows_in_the_history(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    import hashlib

    a, b = login("reviewer"), login("reviewer2")
    cid = seeded[0].id
    a.decide(cid, "confirm")
    b.decide(cid, "confirm")
    a.decide(cid, "advance", {"action": "forward", "reference": "800/1", "on": "2024-10-08", "to": "bawaslu"})
    letter = b"%PDF-1.4\n% rekomendasi\n"
    r = a.post(f"/cases/{cid}/advance", {"version": a.version(cid), "action": "recommendation",
                                         "reference": "REK-9/Bawaslu", "on": "2024-10-15", "issuer": "bawaslu",
                                         "summary": "Terbukti; diteruskan ke BKN"},
               files={"letter": ("rekomendasi.pdf", letter, "application/pdf")})
    page = a.client.get(f"/cases/{cid}").text
    assert (r.status_code, hashlib.sha256(letter).hexdigest() in page, "Terbukti; diteruskan ke BKN" in page,
            'id="step-bkn_to_ppk"' in page, 'id="step-forward_again"' in page) == (303, True, True, True, True)



def test_bkn_forwarding_to_the_ppk_is_a_step_with_its_own_banner(
        login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    a, b = login("reviewer"), login("reviewer2")
    cid = seeded[0].id
    a.decide(cid, "confirm")
    b.decide(cid, "confirm")
    a.decide(cid, "advance", {"action": "forward", "reference": "800/1", "on": "2024-10-08", "to": "bkn"})
    a.decide(cid, "advance", {"action": "recommendation", "reference": "BKN-R/1", "on": "2024-10-10",
                              "issuer": "bkn", "summary": "teruskan ke PPK"})
    r = a.decide(cid, "advance", {"action": "bkn_to_ppk", "reference": "BKN-P/2", "on": "2024-10-11"})
    page = a.client.get(r.headers["location"]).text
    assert (r.status_code, "Penerusan BKN ke PPK dicatat." in page, "BKN meneruskan ke PPK" in page) == (
        303, True, True)
