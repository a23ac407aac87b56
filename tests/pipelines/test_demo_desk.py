"""`netral demo`'s desk part: two demo reviewers confirm waiting cases, the sample report is exported.

The scan is left out (``--no-scan``, its own tests cover it): the cases come from the factories, in the
election the demo imported, as the scan would leave them (detected, one incident each).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.db import make_engine, make_session_factory
from core.models import Case, DeskReport, Election
from pipelines.cli import app
from tests import factories
from tests.conftest import require_tool

runner = CliRunner()


@dataclass
class Ran:
    output: str
    cases: list[int]
    outdir: Path


def _sessions(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


@pytest.fixture
def ran(db_url: str, tmp_path: Path) -> Ran:
    require_tool("soffice")
    first = runner.invoke(app, ["demo", "--no-scan"])
    assert first.exit_code == 0, first.output
    for session in _sessions(db_url):
        election = session.scalars(select(Election)).one()
        ids = [factories.case(session, election_id=election.id, priority=p).id for p in (0.9, 0.8)]
        session.commit()
    again = runner.invoke(app, ["demo", "--no-scan"])
    assert again.exit_code == 0, again.output
    return Ran(again.output, ids, tmp_path / "var" / "demo" / "report")


def test_two_reviewers_confirm_the_waiting_cases(ran: Ran, db_url: str) -> None:
    for session in _sessions(db_url):
        assert [session.get_one(Case, c).status for c in ran.cases] == ["confirmed", "confirmed"]


def test_report_files_are_written(ran: Ran) -> None:
    assert sorted(p.suffix for p in ran.outdir.iterdir()) == [".docx", ".pdf", ".xlsx"]


def test_the_docx_opens_and_lists_both_cases_in_its_annex(ran: Ran) -> None:
    document = docx.Document(str(next(ran.outdir.glob("*.docx"))))
    annex = document.tables[-1]
    assert len(annex.rows) - 1 == 2


def test_every_section_but_nine_has_an_entry(ran: Ran, db_url: str) -> None:
    for session in _sessions(db_url):
        report = session.scalars(select(DeskReport)).one()
        filled = {s.number for s in report.sections if any(e.stage_key is None for e in s.entries)}
        assert filled == {1, 2, 3, 4, 5, 6, 7, 8, 10}


def test_the_printed_dossier_command_works(ran: Ran, tmp_path: Path) -> None:
    found = re.search(r"netral (case dossier \d+ --to bawaslu --out \S+)", ran.output.replace("\n", " "))
    assert found is not None, ran.output
    made = runner.invoke(app, found.group(1).split())
    assert made.exit_code == 0, made.output
    out = Path(found.group(1).split("--out ")[1])
    assert "manifest.json" in zipfile.ZipFile(out).namelist()


def test_a_rerun_reuses_the_report(ran: Ran, db_url: str) -> None:
    assert runner.invoke(app, ["demo", "--no-scan"]).exit_code == 0
    for session in _sessions(db_url):
        assert len(session.scalars(select(DeskReport.id)).all()) == 1
