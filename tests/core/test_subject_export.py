"""The data-subject export: exactly this employee's data, evidence byte for byte, audited with its hash."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import NotFound
from core.evidence import EvidenceArchive
from core.models import AuditEvent
from core.settings import Settings
from core.subject_export import LEGAL_BASIS, RawEvidenceNeedsReason, SubjectExport, export_subject
from tests.core.subjects import (
    OTHER_HANDLE,
    OTHER_NAME,
    OTHER_NUMBER,
    SUBJECT_NUMBER,
    SUBJECT_WRITTEN,
    Scenario,
    build,
)

NOW = datetime(2024, 11, 1, 10, 30, tzinfo=UTC)


def _export(session: Session, settings: Settings, number: str = SUBJECT_WRITTEN,
            now: datetime = NOW) -> tuple[SubjectExport, bytes]:
    out = io.BytesIO()
    result = export_subject(session, EvidenceArchive(settings.resolved_evidence_dir), number, out,
                            actor="ppid.admin", context={"via": "test"}, now=now)
    return result, out.getvalue()


@pytest.fixture
def scenario(session: Session, settings: Settings) -> Scenario:
    return build(session, settings)


def _read(data: bytes) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert zf.testzip() is None
    return zf, json.loads(zf.read("subject.json").decode("utf-8"))


def test_export_holds_exactly_this_employees_data(session: Session, settings: Settings,
                                                  scenario: Scenario) -> None:
    result, data = _export(session, settings)
    _, doc = _read(data)
    assert doc["employee"]["id_number"] == SUBJECT_NUMBER and doc["employee"]["name"] == "Agus Wiranata"
    assert doc["legal_basis"] == LEGAL_BASIS == "tugas publik, UU 27/2022 Ps. 20(2)e"
    assert doc["generated_at"] == "2024-11-01T10:30:00+00:00" and doc["generated_by"] == "ppid.admin"
    assert [a["handle"] for a in doc["social_accounts"]] == ["agus.test", "agus@mastodon.test"]
    assert {i["id"] for i in doc["interactions"]} == scenario.interactions
    assert {c["id"] for c in doc["cases"]} == {scenario.case_id}
    assert [r["id"] for r in doc["reports"]] == [scenario.report_id]
    assert doc["reports"][0]["files"][0]["ocr_text"] == "Teks OCR ajakan"
    assert [a["interaction_id"] for a in doc["assessments"]] == [min(scenario.interactions)]
    assert len(doc["classifications"]) == 1

    case = doc["cases"][0]
    assert [e["action"] for e in case["events"]] == ["triage", "confirm_first", "confirm_second", "forward"]
    assert case["events"][1]["note"] == "suka unggahan kampanye"
    assert case["events"][-1]["data"]["reference"] == "800/123/BKPSDM" and case["status"] == "forwarded"
    assert case["events"][-1]["actor"] == "rina.subjek"  # staff acting in role stay named
    assert case["incidents"][0]["interaction_ids"] == [min(scenario.interactions)]
    assert case["election"]["slug"].startswith("pilkada-uji-")

    deleted = next(c for c in doc["content"] if c["id"] == scenario.deleted_post_id)
    assert deleted["deleted"] is True and deleted["deleted_at"] == "2024-10-05T00:00:00+00:00"
    assert deleted["author_is_subject"] is True
    assert next(i for i in doc["interactions"] if i["kind"] == "post")["deleted"] is True

    audited = {(e["action"], e["object_type"], e["object_id"]) for e in doc["audit_events"]}
    assert ("case.view", "case", str(scenario.case_id)) in audited
    assert ("case.forward", "case", str(scenario.case_id)) in audited
    assert ("report.add", "report", str(scenario.report_id)) in audited
    assert all(oid != str(scenario.other_case_id) for _, _, oid in audited)

    assert result.counts["interactions"] == 4 and result.counts["case_events"] == 4
    assert list(doc) == ["format", "generated_at", "generated_by", "legal_basis", "counts", "redaction", "employee",
                         "social_accounts", "interactions", "content", "classifications", "assessments", "cases",
                         "reports", "audit_events", "evidence"]


def test_another_employees_data_is_absent(session: Session, settings: Settings, scenario: Scenario) -> None:
    _, data = _export(session, settings)
    zf, doc = _read(data)
    everything = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    for secret in (OTHER_NAME, OTHER_NUMBER, OTHER_HANDLE, "did:plc:citra", "Citra"):
        assert secret not in everything, secret
    assert not set(map(str, scenario.other_interactions)) & {str(i["id"]) for i in doc["interactions"]}
    shared = next(c for c in doc["content"] if c["id"] == scenario.shared_post_id)
    assert shared["text"] == "Dukung nomor 1"  # what the subject shared stays readable
    assert shared["author_handle"].startswith("withheld") and shared["url"].startswith("withheld")


def test_evidence_files_are_byte_identical_and_a_missing_file_is_reported(
        session: Session, settings: Settings, scenario: Scenario) -> None:
    result, data = _export(session, settings)
    zf, doc = _read(data)
    files = {n.removeprefix("evidence/"): zf.read(n) for n in zf.namelist()
             if n.startswith("evidence/") and not n.startswith("evidence/redacted/")}
    assert files == scenario.files
    assert all(hashlib.sha256(body).hexdigest() == sha for sha, body in files.items())
    status = {e["sha256"]: e["status"] for e in doc["evidence"]}
    assert status == {**dict.fromkeys(scenario.files, "included"), **dict.fromkeys(scenario.shared, "redacted"),
                      scenario.missing: "missing", scenario.withheld: "withheld",
                      scenario.naming_shot: "withheld_names_others"}
    assert next(e for e in doc["evidence"] if e["sha256"] == scenario.withheld)["source_url"] is None
    assert result.evidence == {"included": 1, "redacted": 3, "missing": 1, "withheld": 1,
                               "withheld_names_others": 1}
    cited = {i["evidence_sha256"] for i in doc["interactions"]} | {c["evidence_sha256"] for c in doc["content"]}
    assert scenario.missing in cited
    assert set(zf.namelist()) == ({"subject.json", "ringkasan.txt"} | {f"evidence/{sha}" for sha in scenario.files}
                                  | {f"evidence/redacted/{sha}" for sha in scenario.shared})


def _renderings(data: bytes, scenario: Scenario) -> dict[str, str]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return {sha: zf.read(f"evidence/redacted/{sha}").decode("utf-8") for sha in scenario.shared}


def test_shared_evidence_hides_the_colleague(session: Session, settings: Settings, scenario: Scenario) -> None:
    _, data = _export(session, settings)
    everything = "".join(_renderings(data, scenario).values()).lower()
    leaks = [s for s in (OTHER_HANDLE, OTHER_NAME.lower(), "did:plc:citra") if s in everything]
    assert leaks == []


def test_shared_evidence_keeps_the_subject_and_marks_the_colleague(session: Session, settings: Settings,
                                                                   scenario: Scenario) -> None:
    _, data = _export(session, settings)
    rendered = _renderings(data, scenario)
    kept = ["agus.test" in text and "[pegawai lain #1]" in text for sha, text in rendered.items()
            if b"did:plc" not in scenario.shared[sha]]
    likers = next(text for sha, text in rendered.items() if b"did:plc" in scenario.shared[sha])
    assert (kept, json.loads(likers)) == ([True, True], {"likes": ["did:plc:agus", "[pegawai lain #1]"]})


def test_a_rendering_is_listed_with_its_own_hash(session: Session, settings: Settings, scenario: Scenario) -> None:
    _, data = _export(session, settings)
    zf, doc = _read(data)
    listed = {e["sha256"]: e["rendering_sha256"] for e in doc["evidence"] if e["status"] == "redacted"}
    assert listed == {sha: hashlib.sha256(zf.read(f"evidence/redacted/{sha}")).hexdigest() for sha in scenario.shared}


def test_the_summary_says_what_was_hidden(session: Session, settings: Settings, scenario: Scenario) -> None:
    _, data = _export(session, settings)
    text = zipfile.ZipFile(io.BytesIO(data)).read("ringkasan.txt").decode("utf-8")
    said = ("[pegawai lain #n]", "1 pegawai lain", "redacted/ (menyebut akun pegawai lain): 3")
    assert [s for s in said if s not in text] == []


def test_a_screenshot_naming_a_colleague_keeps_only_its_redacted_text(session: Session, settings: Settings,
                                                                      scenario: Scenario) -> None:
    zf, doc = _read(_export(session, settings)[1])
    texts = [f["ocr_text"] for f in doc["reports"][0]["files"]]
    assert (texts[1], f"evidence/{scenario.naming_shot}" in zf.namelist()) == ("[pegawai lain #1]: ayo pilih nomor 1",
                                                                              False)


def test_raw_evidence_ships_the_screenshot_too(session: Session, settings: Settings, scenario: Scenario) -> None:
    zf, _ = _read(_raw_export(session, settings, "permintaan pengadilan no. 12/2024"))
    assert f"evidence/{scenario.naming_shot}" in zf.namelist()


def _raw_export(session: Session, settings: Settings, reason: str) -> bytes:
    out = io.BytesIO()
    export_subject(session, EvidenceArchive(settings.resolved_evidence_dir), SUBJECT_NUMBER, out,
                   actor="ppid.admin", now=NOW, raw_evidence_reason=reason)
    return out.getvalue()


def test_raw_evidence_ships_the_originals(session: Session, settings: Settings, scenario: Scenario) -> None:
    zf, doc = _read(_raw_export(session, settings, "permintaan pengadilan no. 12/2024"))
    shipped = {sha: zf.read(f"evidence/{sha}") for sha in scenario.shared}
    assert (shipped, doc["redaction"]["raw_evidence"]) == (scenario.shared, True)


def test_raw_evidence_is_audited_and_stated_in_the_summary(session: Session, settings: Settings,
                                                           scenario: Scenario) -> None:
    data = _raw_export(session, settings, "permintaan pengadilan no. 12/2024")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.export")).one()
    text = zipfile.ZipFile(io.BytesIO(data)).read("ringkasan.txt").decode("utf-8")
    assert (event.details["redaction"]["raw_evidence_reason"], "PERHATIAN" in text) == (
        "permintaan pengadilan no. 12/2024", True)


def test_raw_evidence_without_a_reason_is_refused(session: Session, settings: Settings,
                                                  scenario: Scenario) -> None:
    with pytest.raises(RawEvidenceNeedsReason):
        _raw_export(session, settings, "  ")


def test_summary_is_indonesian_with_counts_and_legal_basis(session: Session, settings: Settings,
                                                           scenario: Scenario) -> None:
    _, data = _export(session, settings)
    text = zipfile.ZipFile(io.BytesIO(data)).read("ringkasan.txt").decode("utf-8")
    assert "tugas publik, UU 27/2022 Ps. 20(2)e" in text
    assert "Dibuat oleh      : ppid.admin" in text and "2024-11-01T10:30:00+00:00" in text
    assert "3×24 jam" in text
    assert any(line.startswith("  Interaksi") and line.rstrip().endswith(" 4") for line in text.splitlines())
    assert "berkas tidak ditemukan di arsip: 1" in text


def test_export_is_audited_with_the_output_hash_and_listed_next_time(session: Session, settings: Settings,
                                                                     scenario: Scenario) -> None:
    result, data = _export(session, settings)
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        "ppid.admin", "subject.export", "employee", str(scenario.subject_id))
    assert event.details["sha256"] == hashlib.sha256(data).hexdigest() == result.sha256
    assert event.details["size"] == len(data) and event.details["via"] == "test"
    assert event.details["counts"]["cases"] == 1 and event.details["evidence"]["missing"] == 1
    assert audit.verify_chain(session) == []
    _, again = _export(session, settings, number=SUBJECT_NUMBER)
    listed = [e for e in _read(again)[1]["audit_events"] if e["action"] == "subject.export"]
    assert [e["details"]["sha256"] for e in listed] == [result.sha256]


def test_same_data_same_instant_same_bytes(session: Session, settings: Settings, scenario: Scenario) -> None:
    session.commit()
    first = _export(session, settings)[1]
    session.rollback()  # drop the first audit event, so the second export sees the same data
    assert _export(session, settings)[1] == first


def test_unknown_number_is_an_error_and_writes_nothing(session: Session, settings: Settings,
                                                       scenario: Scenario) -> None:
    before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    out = io.BytesIO()
    with pytest.raises(NotFound, match="no employee with number"):
        export_subject(session, EvidenceArchive(settings.resolved_evidence_dir), "000000000000000000", out,
                       actor="ppid.admin")
    assert out.getvalue() == b""
    assert session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == before


def test_employee_without_any_activity(session: Session, settings: Settings) -> None:
    from tests import factories

    factories.employee(session, id_number="THL-2023-0001", employee_type="NON_ASN", name="Dedi Permadi")
    result, data = _export(session, settings, number="THL-2023-0001")
    zf, doc = _read(data)
    assert zf.namelist() == ["subject.json", "ringkasan.txt"]
    assert doc["cases"] == [] and doc["evidence"] == [] and result.counts["social_accounts"] == 0


def test_an_altered_evidence_file_is_reported_not_shipped(session: Session, settings: Settings,
                                                          scenario: Scenario) -> None:
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    sha = next(iter(scenario.files))
    archive.path(sha).write_bytes(b"edited after capture")
    result, data = _export(session, settings)
    zf, doc = _read(data)
    assert f"evidence/{sha}" not in zf.namelist()
    assert next(e for e in doc["evidence"] if e["sha256"] == sha)["status"] == "altered"
    assert result.evidence["altered"] == 1


def test_long_id_lists_are_read_in_chunks(session: Session, settings: Settings, scenario: Scenario,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from core import subject_data

    session.commit()
    whole = _export(session, settings)[1]
    session.rollback()
    monkeypatch.setattr(subject_data, "CHUNK", 1)
    assert _export(session, settings)[1] == whole
