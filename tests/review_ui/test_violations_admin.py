"""The violation table's texts are editable by admins, audited, and what the case page then shows."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEvent, Case, ViolationType
from tests.review_ui.conftest import Browser

FORM = {"conduct": "Membuat posting, comment, share, like (teks diperbaiki)", "conduct_en": "Posting (fixed)",
        "sanction": "Sanksi moral: pernyataan secara terbuka", "source": "Lampiran SKB 2022, angka 4", "active": "1"}


def test_an_admin_edits_a_code_and_reviewers_read_it(login: Callable[[str], Browser], seeded: list[Case],
                                                     session: Session) -> None:
    admin = login("admin")
    admin.refresh_token("/admin/violations")
    assert admin.post("/admin/violations/KE-4", FORM).status_code == 303
    html = login("reviewer").client.get(f"/cases/{seeded[0].id}").text
    assert "(teks diperbaiki)" in html and "Lampiran SKB 2022, angka 4" in html
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "violation.edit")).one()
    assert event.details == {"changed": ["conduct", "conduct_en", "sanction", "source"]}


def test_an_empty_conduct_is_refused_and_nothing_changes(login: Callable[[str], Browser], session: Session,
                                                         seeded: list[Case]) -> None:
    admin = login("admin")
    admin.refresh_token("/admin/violations")
    before = session.get(ViolationType, "HD-6")
    assert before is not None
    text = before.conduct
    r = admin.post("/admin/violations/HD-6", {**FORM, "conduct": "  "})
    assert r.status_code == 422 and "wajib diisi" in r.text
    session.expire_all()
    assert session.get(ViolationType, "HD-6").conduct == text  # type: ignore[union-attr]
