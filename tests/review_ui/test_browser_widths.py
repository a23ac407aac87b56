"""Chromium: no page scrolls sideways at 1366×768 (a Pemkab laptop) or at 390 px (a phone).

Each page is loaded with long URLs, a long unit name and SHA-256 hashes in it, and
``document.documentElement.scrollWidth`` must not exceed the viewport's width.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from core.models import Case, Evidence, IncidentInteraction
from tests import factories
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures

LONG_URL = ("https://www.facebook.example.org/groups/relawan.paslon.nomor.satu.kabupaten.sungai.tenang/"
            "posts/1234567890123456789?__cft__[0]=AZWk1c2x0bW9yZXRleHRoZXJlYW5kdGhlcmVhbmRldmVyeXdoZXJl")
UNIT = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sungai Tenang Bidang Pelayanan Pendaftaran Penduduk"
WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}
PAGES = {"admin": ["/queue", "/cases/{case}", "/dashboard", "/audit", "/admin/users", "/admin/subjects",
                   "/reports/new", "/notifications", "/admin/violations"],
         "desk": ["/dashboard", "/reports/new"]}


@pytest.fixture
def wide_case(session: Session) -> Case:
    ev = Evidence(sha256="c0ffee" * 10 + "abcd", media_type="application/json", size=1234, source_url=LONG_URL,
                  stored_path="c0/ff/none")
    session.add(ev)
    session.flush()
    emp = factories.employee(session, name="Raden Ajeng Kusumawardhani Purbaningrum Setyaningsih", unit=UNIT)
    acc = factories.account(session, emp, handle="akun.dengan.nama.yang.sangat.panjang.sekali.untuk.uji.lebar")
    target = factories.content(session, url=LONG_URL, evidence_id=ev.id,
                               text="Ayo dukung " + "pasanganNomorSatuYangPalingBaikUntukKabupaten" * 3)
    inter = factories.interaction(session, actor=acc, target=target, evidence_id=ev.id, occurred_at=None)
    case = factories.case(session, emp, target, rule_elements=[f"reported by someone through report intake "
                                                               f"(whatsapp) {LONG_URL}"])
    session.add(IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=inter.id))
    session.commit()
    return case


@pytest.mark.parametrize("size", WIDTHS)
def test_no_page_scrolls_sideways(new_page: Callable[[], object], wide_case: Case, size: str) -> None:
    width, height = WIDTHS[size]
    too_wide = {}
    for role, paths in PAGES.items():
        page = new_page()
        page.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
        login(page, role)
        for path in paths:
            page.goto(path.format(case=wide_case.id))  # type: ignore[attr-defined]
            scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
            if scroll > width:
                too_wide[f"{role} {path}"] = scroll
    assert too_wide == {}

