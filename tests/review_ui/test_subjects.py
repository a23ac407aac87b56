"""The data-subject export page: administrators download the ZIP (audited); every other role is refused."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEvent
from core.settings import Settings
from tests.core.subjects import OTHER_HANDLE, OTHER_NAME, SUBJECT_NUMBER, SUBJECT_WRITTEN, Scenario, build
from tests.review_ui.conftest import Browser, csrf_of


@pytest.fixture
def scenario(session: Session, settings: Settings) -> Scenario:
    made = build(session, settings)
    session.commit()
    return made


def _exports(session: Session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.export")))


def test_admin_downloads_the_zip(login: Callable[[str], Browser], session: Session, scenario: Scenario) -> None:
    b = login("admin")
    page = b.client.get("/admin/subjects")
    assert page.status_code == 200 and "Ekspor data subjek" in page.text and 'name="id_number"' in page.text
    assert 'href="/admin/subjects"' in page.text  # the admin's menu links to it
    r = b.post("/admin/subjects", {"id_number": SUBJECT_WRITTEN})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == f'attachment; filename="netral-subjek-{SUBJECT_NUMBER}.zip"'
    assert r.headers["cache-control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert zf.testzip() is None
        doc = json.loads(zf.read("subject.json"))
        assert doc["employee"]["id_number"] == SUBJECT_NUMBER and doc["generated_by"] == "admin"
        assert OTHER_NAME not in zf.read("subject.json").decode("utf-8")
        for sha, body in scenario.files.items():
            assert zf.read(f"evidence/{sha}") == body
    [event] = _exports(session)
    assert (event.actor, event.object_type, event.object_id) == ("admin", "employee", str(scenario.subject_id))
    assert event.details["sha256"] == hashlib.sha256(r.content).hexdigest()
    assert (event.details["via"], event.details["role"]) == ("web", "admin")


def test_unknown_or_empty_number_is_said_in_the_users_language(login: Callable[[str], Browser], session: Session,
                                                               scenario: Scenario) -> None:
    b = login("admin")
    r = b.post("/admin/subjects", {"id_number": "000000000000000000"})
    assert r.status_code == 404 and "Tidak ada pegawai dengan nomor ini." in r.text
    assert 'value="000000000000000000"' in r.text
    r = b.post("/admin/subjects", {"id_number": "  "})
    assert r.status_code == 422 and "Masukkan NIP, NI PPPK atau nomor pegawai." in r.text
    b.client.cookies.set("netral_lang", "en")
    page = b.client.get("/admin/subjects")
    assert "Data-subject export" in page.text and "Download ZIP" in page.text
    assert _exports(session) == []


@pytest.mark.parametrize("role", ["reviewer", "desk", "auditor"])
def test_other_roles_are_refused(role: str, login: Callable[[str], Browser], session: Session,
                                 scenario: Scenario) -> None:
    b = login(role)
    assert b.client.get("/admin/subjects").status_code == 403
    assert 'href="/admin/subjects"' not in b.client.get("/dashboard").text
    r = b.post("/admin/subjects", {"id_number": SUBJECT_NUMBER})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert _exports(session) == []


def test_anonymous_is_sent_to_login(app: FastAPI, scenario: Scenario, session: Session) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/admin/subjects", follow_redirects=False).headers["location"] == "/login"
        token = csrf_of(client.get("/login").text)
        r = client.post("/admin/subjects", data={"id_number": SUBJECT_NUMBER, "csrf_token": token},
                        follow_redirects=False)
        assert r.status_code == 401
    assert _exports(session) == []


def test_csrf_token_is_required(login: Callable[[str], Browser], session: Session, scenario: Scenario) -> None:
    b = login("admin")
    for payload in ({"id_number": SUBJECT_NUMBER}, {"id_number": SUBJECT_NUMBER, "csrf_token": "0" * 64}):
        r = b.client.post("/admin/subjects", data=payload, follow_redirects=False)
        assert r.status_code == 403 and "application/zip" not in r.headers["content-type"]
    assert _exports(session) == []


def test_the_web_export_redacts_shared_evidence(login: Callable[[str], Browser], scenario: Scenario) -> None:
    r = login("admin").post("/admin/subjects", {"id_number": SUBJECT_NUMBER})
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        shipped = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    assert (OTHER_HANDLE in shipped, "[pegawai lain #1]" in shipped) == (False, True)


def test_original_evidence_needs_a_reason(login: Callable[[str], Browser], session: Session,
                                          scenario: Scenario) -> None:
    r = login("admin").post("/admin/subjects", {"id_number": SUBJECT_NUMBER, "raw_evidence": "1", "raw_reason": " "})
    assert (r.status_code, "berikan alasan" in r.text, _exports(session)) == (422, True, [])


def test_original_evidence_with_a_reason_is_audited(login: Callable[[str], Browser], session: Session,
                                                    scenario: Scenario) -> None:
    r = login("admin").post("/admin/subjects", {"id_number": SUBJECT_NUMBER, "raw_evidence": "1",
                                               "raw_reason": "permintaan Bawaslu 12/2024"})
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        shipped = {sha: zf.read(f"evidence/{sha}") for sha in scenario.shared}
    [event] = _exports(session)
    assert (shipped, event.details["redaction"]["raw_evidence_reason"]) == (scenario.shared,
                                                                         "permintaan Bawaslu 12/2024")
