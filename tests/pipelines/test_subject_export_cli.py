"""`netral roster export-subject`: the ZIP on disk, its audit event, and the refusals."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import AuditEvent
from core.settings import Settings
from pipelines.cli import app
from tests.core.subjects import SUBJECT_NUMBER, SUBJECT_WRITTEN, build

runner = CliRunner()


def _exports(session: Session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.export")
                                .order_by(AuditEvent.id)))


def test_help() -> None:
    result = runner.invoke(app, ["roster", "export-subject", "--help"])
    assert result.exit_code == 0 and "--out" in result.output and "--force" in result.output


def test_export_round_trip(session: Session, settings: Settings, tmp_path: Path) -> None:
    scenario = build(session, settings)
    session.commit()
    out = tmp_path / "ppid" / "subjek.zip"
    result = runner.invoke(app, ["roster", "export-subject", SUBJECT_WRITTEN, "--out", str(out),
                                 "--actor", "PPID Uji"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest in result.output and "1 evidence file(s) missing" in result.output
    with zipfile.ZipFile(out) as zf:
        doc = json.loads(zf.read("subject.json"))
        assert doc["employee"]["id_number"] == SUBJECT_NUMBER and doc["generated_by"] == "PPID Uji"
        assert {f"evidence/{sha}" for sha in scenario.files} <= set(zf.namelist())
    assert out.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    [event] = _exports(session)
    assert (event.actor, event.object_id, event.details["sha256"]) == ("PPID Uji", str(scenario.subject_id), digest)
    assert event.details["via"] == "cli" and event.details["os_user"].startswith("cli:")
    assert sorted(p.name for p in out.parent.iterdir()) == ["subjek.zip"]  # no temporary file left

    again = runner.invoke(app, ["roster", "export-subject", SUBJECT_NUMBER, "--out", str(out)])
    assert again.exit_code == 1 and "already exists; pass --force" in again.output
    assert out.read_bytes() == data and len(_exports(session)) == 1

    forced = runner.invoke(app, ["roster", "export-subject", SUBJECT_NUMBER, "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    events = _exports(session)
    assert len(events) == 2 and events[1].actor.startswith("cli:") and "os_user" not in events[1].details
    assert events[1].details["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_unknown_employee_writes_nothing(session: Session, settings: Settings, tmp_path: Path) -> None:
    build(session, settings)
    session.commit()
    out = tmp_path / "subjek.zip"
    result = runner.invoke(app, ["roster", "export-subject", "000000000000000000", "--out", str(out)])
    assert result.exit_code == 2 and "no employee with number '000000000000000000'" in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".subjek.zip")]
    assert _exports(session) == []


def test_raw_evidence_is_explicit_and_audited(session: Session, settings: Settings, tmp_path: Path) -> None:
    scenario = build(session, settings)
    session.commit()
    out = tmp_path / "subjek.zip"
    result = runner.invoke(app, ["roster", "export-subject", SUBJECT_NUMBER, "--out", str(out),
                                 "--raw-evidence", "surat PPID 7/2024"])
    assert result.exit_code == 0 and "may name other employees" in result.output, result.output
    with zipfile.ZipFile(out) as zf:
        shipped = {sha: zf.read(f"evidence/{sha}") for sha in scenario.shared}
    [event] = _exports(session)
    assert (shipped, event.details["redaction"]["raw_evidence_reason"]) == (scenario.shared, "surat PPID 7/2024")


def test_raw_evidence_without_a_reason_writes_nothing(session: Session, settings: Settings, tmp_path: Path) -> None:
    build(session, settings)
    session.commit()
    out = tmp_path / "subjek.zip"
    result = runner.invoke(app, ["roster", "export-subject", SUBJECT_NUMBER, "--out", str(out),
                                 "--raw-evidence", ""])
    assert (result.exit_code, out.exists(), _exports(session)) == (1, False, [])
