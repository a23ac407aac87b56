"""A confirmed case's page: the signed referral dossier as a download, and an admin's "add to report"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import keys
from core.models import AuditEvent, Case, DeskReport, Election
from core.reports import dossier, editing
from core.settings import Settings
from tests import factories
from tests.conftest import require_tool
from tests.review_ui.conftest import Browser


@pytest.fixture
def two(session: Session) -> tuple[Case, Case]:
    """A confirmed case and an open one of the same election, committed."""
    el = factories.election(session, slug="pilkada-dossier-uji")
    done = factories.case(session, factories.employee(session, name="Pegawai Dikonfirmasi"), election_id=el.id,
                          status="confirmed", contest=el.slug)
    open_ = factories.case(session, factories.employee(session, name="Pegawai Terbuka"), election_id=el.id,
                           status="detected", contest=el.slug)
    session.commit()
    return done, open_


def _audited(session: Session, case_id: int) -> list[str]:
    session.expire_all()
    return [e.details["to"] for e in session.scalars(select(AuditEvent).where(
        AuditEvent.action == "case_dossier", AuditEvent.object_id == str(case_id)))]


def test_a_reviewer_downloads_a_dossier_that_verifies(login: Callable[[str], Browser], two: tuple[Case, Case],
                                                      settings: Settings, session: Session) -> None:
    require_tool(settings.soffice_cmd)
    r = login("reviewer").post(f"/cases/{two[0].id}/dossier", {"to": "bkn"})
    assert r.headers["content-type"] == "application/zip" and dossier.verify(
        r.content, keys.public_key_pem(settings.data_dir)).ok and _audited(session, two[0].id) == ["bkn"]


def test_an_open_case_gets_no_dossier_and_hears_why(login: Callable[[str], Browser], two: tuple[Case, Case],
                                                    session: Session) -> None:
    r = login("reviewer").post(f"/cases/{two[1].id}/dossier", {"to": "bawaslu"})
    assert (r.status_code, "dikonfirmasi dua penelaah" in r.text, _audited(session, two[1].id)) == (409, True, [])


def test_only_a_confirmed_case_offers_the_dossier(login: Callable[[str], Browser], two: tuple[Case, Case]) -> None:
    b = login("reviewer")
    shown = ['id="dossier-form"' in b.client.get(f"/cases/{c.id}").text for c in two]
    assert shown == [True, False]


def test_an_admin_adds_the_case_to_a_draft_report_from_its_page(
        login: Callable[[str], Browser], two: tuple[Case, Case], session: Session) -> None:
    el = session.scalars(select(Election).where(Election.slug == "pilkada-dossier-uji")).one()
    report = editing.create_report(session, el, "Laporan Uji", "2024-01-01", "2030-12-31", "admin")
    session.commit()
    b = login("admin")
    offered = f'id="add-to-report-{report.id}"' in b.client.get(f"/cases/{two[0].id}").text
    r = b.post(f"/desk/reports/{report.id}/cases", {"case_id": two[0].id, "back": "case"})
    session.expire_all()
    annexed = [c.case_id for c in session.get(DeskReport, report.id).cases]  # type: ignore[union-attr]
    assert (offered, r.headers["location"], annexed) == (True, f"/cases/{two[0].id}?done=desk_case", [two[0].id])
