"""Every page rendered in Indonesian is free of the known English leaks (enums, history keys, audit ids).

The case carries a full history (detected, triage, confirmations, forward with reference and date, a
PPK decision), a tenaga kontrak employee, rule elements from the assessor and audit events of every
kind, so each leak the review found has a page where it would show.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from core import audit, cases
from core.models import CaseEvent, IncidentInteraction, User
from core.settings import Settings
from tests import factories
from tests.review_ui.conftest import Browser

LEAKS = ("detected", "NON_ASN", "codes=[", "reference=", "case.view", "Galat", "Login terakhir", "Tolak",
         "ditolak", "liked an item", "counts whatever", "penelaah")
PAGES = {"admin": ["/queue", "/queue?status=all", "/cases/{case}", "/dashboard", "/audit", "/admin/users",
                   "/admin/subjects", "/reports/new", "/notifications", "/admin/violations"],
         "desk": ["/dashboard", "/reports/new", "/notifications"],
         "auditor": ["/audit", "/cases/{case}"]}


@pytest.fixture
def full_case(session: Session, settings: Settings, users: dict[str, str]) -> int:
    emp = factories.employee(session, employee_type="NON_ASN", name="Tenaga Kontrak Satu")
    acc = factories.account(session, emp)
    target = factories.content(session, text="Ayo dukung nomor 1")
    like = factories.interaction(session, actor=acc, target=target, occurred_at=None)
    case = factories.case(session, emp, target, rule_elements=[
        "KE-4/HD-6: liked an item or account",
        "KE-4/HD-6: target is an official campaign account (counts whatever its text)"])
    session.add(IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=like.id))
    session.add(CaseEvent(case_id=case.id, actor="netral", action="detected", to_status="detected",
                          data={"interaction_id": like.id, "codes": ["KE-4", "HD-6"], "model_version": "m1"}))
    session.flush()
    first, second = (session.query(User).filter_by(username=n).one() for n in ("reviewer", "reviewer2"))
    cases.confirm(session, case, first, settings, version=case.version)
    cases.confirm(session, case, second, settings, version=case.version)
    cases.advance(session, case, second, "forward", settings, version=case.version, reference="800/12/BKPSDM",
                  on=date(2024, 10, 3), to="bawaslu")
    audit.record(session, "reviewer", "case.view", object_type="case", object_id=case.id)
    session.commit()
    return case.id


def _visible(html: str) -> str:
    """The page's text as a reader sees it (tags, attribute values and the script/style blocks removed)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_every_page_in_indonesian_has_no_known_english_leak(login: Callable[[str], Browser], full_case: int,
                                                            session: Session) -> None:
    found = {}
    for role, paths in PAGES.items():
        b = login(role)
        for path in paths:
            r = b.client.get(path.format(case=full_case))
            assert r.status_code == 200, (role, path, r.status_code)
            text = _visible(r.text)
            hits = [leak for leak in LEAKS if leak in text]
            if hits:
                found[f"{role} {path}"] = hits
    assert found == {}


def test_history_reads_in_words(login: Callable[[str], Browser], full_case: int) -> None:
    text = _visible(login("admin").client.get(f"/cases/{full_case}").text)
    assert "nomor surat: 800/12/BKPSDM" in text and "kepada: Bawaslu" in text and "tenaga kontrak" in text
