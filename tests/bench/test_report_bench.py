"""bench/report at a tiny size: the benchmark still builds its report and exports all three formats."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from bench.report.run import main
from tests.conftest import require_tool


@pytest.fixture
def exported(db_url: str, tmp_path: Path) -> dict[str, tuple[float, int]]:
    require_tool("soffice")
    return main(["--cases", "6", "--entries", "12", "--database-url", db_url, "--data-dir", str(tmp_path / "var"),
                 "--out", str(tmp_path / "out")])


def test_every_format_is_timed(exported: dict[str, tuple[float, int]]) -> None:
    assert sorted(exported) == ["docx", "pdf", "xlsx"]


def test_pdf_is_a_pdf(exported: dict[str, tuple[float, int]], tmp_path: Path) -> None:
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF")


def test_annex_holds_every_confirmed_case(exported: dict[str, tuple[float, int]], tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")["Lampiran kasus"]
    assert sheet.max_row - 1 == 6


def test_entries_reach_the_docx(exported: dict[str, tuple[float, int]], tmp_path: Path) -> None:
    text = "\n".join(cell.text for table in docx.Document(str(tmp_path / "out" / "report.docx")).tables
                     for row in table.rows for cell in row.cells)
    assert "Rapat koordinasi Desk Pilkada kegiatan ke-12" in text
