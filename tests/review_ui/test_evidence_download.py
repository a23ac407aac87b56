"""Evidence download from the case page: exact bytes after a re-hash, audited; altered or missing files refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import AuditEvent, Case, Evidence
from core.settings import Settings
from review_ui.routes.evidence import extension
from tests import factories
from tests.review_ui.conftest import Browser

TARGET_BODY = b'{"post": {"text": "Ayo coblos nomor 1", "html": "<script>alert(1)</script>"}}'
LIKE_BODY = b'{"like": {"actor": "did:plc:pegawai-rahasia"}}'


@dataclass
class Scenario:
    case: Case
    target: Evidence
    like: Evidence
    archive: EvidenceArchive


def _evidence(session: Session, archive: EvidenceArchive, body: bytes, media_type: str) -> Evidence:
    sha, stored = archive.put(body)
    row = Evidence(sha256=sha, media_type=media_type, size=len(body), source_url="https://bsky.test/x",
                   http_status=200, headers={}, stored_path=stored, fetched_at=datetime(2024, 10, 2, tzinfo=UTC))
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def scenario(session: Session, settings: Settings) -> Scenario:
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    target_ev = _evidence(session, archive, TARGET_BODY, "application/json; charset=utf-8")
    like_ev = _evidence(session, archive, LIKE_BODY, "text/html")
    emp = factories.employee(session, name="Pegawai Rahasia")
    acc = factories.account(session, emp, handle="pegawai.rahasia")
    target = factories.content(session, evidence_id=target_ev.id)
    inter = factories.interaction(session, actor=acc, target=target, evidence_id=like_ev.id)
    case = factories.case(session, emp, target, status="awaiting_second", interaction_ids=[inter.id])
    session.commit()
    return Scenario(case, target_ev, like_ev, archive)


def _downloads(session: Session, action: str = "evidence.download") -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _url(s: Scenario, ev: Evidence) -> str:
    return f"/cases/{s.case.id}/evidence/{ev.id}"


@pytest.mark.parametrize("role", ["reviewer", "admin", "auditor"])
def test_case_readers_download_the_exact_bytes(role: str, login: Callable[[str], Browser], session: Session,
                                               scenario: Scenario) -> None:
    b = login(role)
    page = b.client.get(f"/cases/{scenario.case.id}").text
    assert f'href="{_url(scenario, scenario.target)}"' in page and f'href="{_url(scenario, scenario.like)}"' in page
    r = b.client.get(_url(scenario, scenario.target))
    assert r.status_code == 200 and r.content == TARGET_BODY
    assert hashlib.sha256(r.content).hexdigest() == scenario.target.sha256
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == f'attachment; filename="{scenario.target.sha256}.json"'
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in r.headers["content-security-policy"] and r.headers["cache-control"] == "no-store"
    r = b.client.get(_url(scenario, scenario.like))  # archived HTML: an attachment, never rendered
    assert r.content == LIKE_BODY and r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == f'attachment; filename="{scenario.like.sha256}.html"'
    first, second = _downloads(session)
    assert (first.actor, first.object_type, first.object_id) == (role, "evidence", str(scenario.target.id))
    assert first.details["case_id"] == scenario.case.id and first.details["sha256"] == scenario.target.sha256
    assert second.object_id == str(scenario.like.id)


def test_altered_file_is_refused_and_audited(login: Callable[[str], Browser], session: Session,
                                             scenario: Scenario) -> None:
    scenario.archive.path(scenario.target.sha256).write_bytes(TARGET_BODY.replace(b"1", b"2"))
    b = login("reviewer")
    r = b.client.get(_url(scenario, scenario.target))
    assert r.status_code == 409 and r.headers["content-type"].startswith("text/html")
    assert "tidak lagi cocok dengan SHA-256" in r.text and "Ayo coblos" not in r.text
    assert _downloads(session) == []
    [refused] = _downloads(session, "evidence.download_refused")
    assert refused.details["reason"] == "hash mismatch" and refused.details["actual"] != scenario.target.sha256
    b.client.cookies.set("netral_lang", "en")
    assert "no longer matches its SHA-256" in b.client.get(_url(scenario, scenario.target)).text


def test_missing_file_gives_a_clear_page(login: Callable[[str], Browser], session: Session,
                                         scenario: Scenario) -> None:
    scenario.archive.path(scenario.like.sha256).unlink()
    b = login("auditor")
    r = b.client.get(_url(scenario, scenario.like))
    assert r.status_code == 410 and "tidak ada di arsip" in r.text
    [refused] = _downloads(session, "evidence.download_refused")
    assert refused.details["reason"] == "missing" and _downloads(session) == []


def test_only_the_cases_own_evidence(login: Callable[[str], Browser], session: Session, scenario: Scenario,
                                     settings: Settings) -> None:
    other = _evidence(session, scenario.archive, b"bukti kasus lain", "text/plain")
    other_case = factories.case(session, target=factories.content(session, evidence_id=other.id))
    session.commit()
    b = login("reviewer")
    assert b.client.get(_url(scenario, other)).status_code == 404  # exists, but not this case's
    assert b.client.get(f"/cases/{other_case.id}/evidence/{other.id}").content == b"bukti kasus lain"
    assert b.client.get(f"/cases/999999/evidence/{other.id}").status_code == 404
    assert b.client.get(f"/cases/{scenario.case.id}/evidence/999999").status_code == 404


def test_blind_review_offers_only_the_target_evidence(login: Callable[[str], Browser], session: Session,
                                                      scenario: Scenario) -> None:
    scenario.case.status = "detected"
    session.commit()
    b = login("reviewer")
    page = b.client.get(f"/cases/{scenario.case.id}").text
    assert f'href="{_url(scenario, scenario.target)}"' in page and _url(scenario, scenario.like) not in page
    assert b.client.get(_url(scenario, scenario.target)).content == TARGET_BODY
    assert b.client.get(_url(scenario, scenario.like)).status_code == 404  # names the employee's account


def test_desk_and_anonymous_are_refused(app: FastAPI, login: Callable[[str], Browser], session: Session,
                                        scenario: Scenario) -> None:
    r = login("desk").client.get(_url(scenario, scenario.target), follow_redirects=False)
    assert r.status_code == 403 and TARGET_BODY not in r.content
    with TestClient(app, base_url="http://127.0.0.1") as client:
        r = client.get(_url(scenario, scenario.target), follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    assert _downloads(session) == []


@pytest.mark.parametrize(("media_type", "ext"), [("application/json", ".json"), ("text/html; charset=utf-8", ".html"),
                                                 ("image/jpeg", ".jpg"), ("application/x-unknown", ".bin"),
                                                 ("", ".bin")])
def test_extension_from_media_type(media_type: str, ext: str) -> None:
    assert extension(media_type) == ext
