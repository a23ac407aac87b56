"""Archived images in the evidence viewer: only the case's own, only unaltered, only as images, safe headers."""

from __future__ import annotations

import io
from collections.abc import Callable

from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import Evidence, Report, ReportFile
from core.settings import Settings
from tests import factories
from tests.review_ui.conftest import Browser


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def _reported_case(session: Session, settings: Settings, body: bytes, media_type: str) -> tuple[int, Evidence]:
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    sha, path = archive.put(body)
    ev = Evidence(sha256=sha, media_type=media_type, size=len(body), headers={}, stored_path=path)
    session.add(ev)
    session.flush()
    emp = factories.employee(session)
    item = factories.content(session, kind="report", platform="whatsapp", evidence_id=ev.id, text="OCR")
    report = Report(employee_id=emp.id, content_id=item.id, platform="whatsapp", reported_by="desk")
    report.files.append(ReportFile(position=0, evidence_id=ev.id, filename="wa.png", ocr_text="OCR"))
    session.add(report)
    case = factories.case(session, emp, item)
    session.commit()
    return case.id, ev


def test_a_report_screenshot_is_served_as_an_image_with_safe_headers(
        login: Callable[[str], Browser], session: Session, settings: Settings) -> None:
    case_id, ev = _reported_case(session, settings, _png(), "image/png")
    r = login("reviewer").client.get(f"/cases/{case_id}/image/{ev.id}")
    assert (r.status_code, r.headers["content-type"], r.headers["x-content-type-options"]) == (
        200, "image/png", "nosniff")
    assert "sandbox" in r.headers["content-security-policy"]


def test_another_cases_image_is_not_served(login: Callable[[str], Browser], session: Session,
                                           settings: Settings) -> None:
    case_a, _ev = _reported_case(session, settings, _png(), "image/png")
    _case_b, other = _reported_case(session, settings, _png() + b"\0", "image/png")
    assert login("reviewer").client.get(f"/cases/{case_a}/image/{other.id}").status_code == 404


def test_an_altered_or_non_image_file_is_not_served(login: Callable[[str], Browser], session: Session,
                                                    settings: Settings) -> None:
    case_id, ev = _reported_case(session, settings, _png(), "image/png")
    (EvidenceArchive(settings.resolved_evidence_dir).root / ev.stored_path).write_bytes(b"changed")
    svg_case, svg = _reported_case(session, settings, b"<svg onload=alert(1)/>", "image/svg+xml")
    b = login("auditor")
    assert [b.client.get(f"/cases/{case_id}/image/{ev.id}").status_code,
            b.client.get(f"/cases/{svg_case}/image/{svg.id}").status_code] == [404, 404]
