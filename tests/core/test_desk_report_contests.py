"""Section 9 per contest: a Pilkada with a governor and a regent race counts persons and incidents per race."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from core.models import DeskReport, Election
from core.reports import case_source, content, editing, exporting
from core.settings import Settings
from tests import factories


def _two_contests(session: Session) -> tuple[Election, DeskReport]:
    """Regent race (the factory's) and a governor race; three persons, five incidents."""
    el = factories.election(session)
    gov = factories.add_contest(session, el, "pilgub-uji", "pilgub", 2, tag="Gubernur")
    regent = el.contests[0]
    both = factories.case(session, factories.employee(session, name="Pegawai Dua Kontes"), election_id=el.id,
                          status="confirmed", contest=regent.slug)
    factories.incident(session, both, contest=gov.slug)
    factories.incident(session, both, contest=gov.slug)
    factories.case(session, factories.employee(session, name="Pegawai Gubernur"), election_id=el.id,
                   status="detected", contest=gov.slug)
    factories.case(session, factories.employee(session, name="Pegawai Tanpa Kontes"), election_id=el.id,
                   status="dismissed")
    report = editing.create_report(session, el, "Laporan Desk Pilkada Uji", "2024-01-01", "2030-12-31", "desk")
    session.commit()
    return el, report


def _contest_rows(session: Session, settings: Settings, report: DeskReport) -> dict[str, list[object]]:
    data = content.build(session, settings, report)
    table = next(t for t in data["neutrality"]["tables"] if t["key"] == "contest")
    return {str(r[0]): r[1:] for r in table["rows"]}


def test_person_in_two_contests_counts_once_in_each_with_that_contests_incidents(
        session: Session, settings: Settings) -> None:
    el, report = _two_contests(session)
    rows = _contest_rows(session, settings, report)
    gov = next(c.name for c in el.contests if c.kind == "pilgub")
    regent = next(c.name for c in el.contests if c.kind == "pilbup")
    # [leads, confirmed, due_process, dismissed, cases, incidents]
    assert (rows[gov], rows[regent], rows["(kontestasi tidak diketahui)"]) == (
        [1, 1, 0, 0, 2, 3], [0, 1, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1])


def test_totals_still_count_each_person_once(session: Session, settings: Settings) -> None:
    _, report = _two_contests(session)
    totals = content.build(session, settings, report)["neutrality"]["totals"]
    assert (totals["cases"], totals["incidents"]) == (3, 5)


def test_docx_shows_contest_table_and_sentence_without_names(session: Session, settings: Settings) -> None:
    el, report = _two_contests(session)
    doc = Document(io.BytesIO(exporting.export(session, settings, report, "docx", "desk", "desk").data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    text = "\n".join(p.text for p in doc.paragraphs)
    gov = next(c.name for c in el.contests if c.kind == "pilgub")
    assert ("9.2 Menurut kontestasi (pemilihan)" in text and gov in cells
            and f"{gov}: 2 orang (3 kejadian)" in text and "Pegawai" not in text + "".join(cells))


def test_xlsx_has_contest_rows(session: Session, settings: Settings) -> None:
    el, report = _two_contests(session)
    wb = load_workbook(io.BytesIO(exporting.export(session, settings, report, "xlsx", "desk", "desk").data))
    values = [[c.value for c in row] for row in wb["Netralitas ASN"].iter_rows()]
    gov = next(c.name for c in el.contests if c.kind == "pilgub")
    assert [gov, 1, 1, 0, 0, 2, 3] in [v[:7] for v in values]


def test_case_rows_carry_incidents_per_contest(session: Session, settings: Settings) -> None:
    el, _ = _two_contests(session)
    rows = case_source.aggregate_rows(session, el)
    assert dict(rows[0].contest_incidents) == {el.contests[0].slug: 1, "pilgub-uji": 2}
