"""Property tests of the registry importers through the CLI a person uses.

Whatever the file (broken quoting, huge cells, odd encodings, XLSX cells of any type, election files
with any key replaced or removed, YAML nested thousands deep), ``netral roster import`` and
``netral election import`` either succeed or exit 1 with located problems (``FILE[:ROW][:FIELD]: …``),
never a traceback, and a refused file leaves the database exactly as it was.
"""

from __future__ import annotations

import copy
import csv
import io
import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from core.models import AuditEvent, CampaignAccount, CandidatePair, Election, Employee, SocialAccount
from pipelines.cli import app
from tests.core.rosterfiles import HEADER, ROWS

runner = CliRunner()
EXAMPLE = yaml.safe_load(Path("examples/election.yaml").read_text(encoding="utf-8"))
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KNOWN_HEADERS = [*HEADER, "Mastodon", "YouTube", "Facebook", "NIP Lama", "Email", "Unit", "Nama Lengkap"]

cell_text = st.one_of(
    st.sampled_from(["", "PNS", "PPPK", "Honorer", "agus.test", "@x_user", "https://x.com/abc", "199001012022212002",
                     "THL-1", "19860926 201505 1 001", '"', '""', "a,b", "a;b", "a\tb", "baris\nbaru"]),
    st.text(max_size=30),
)
rows_strategy = st.lists(st.lists(cell_text, min_size=0, max_size=9), max_size=6)


def counts(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(model)) or 0
                 for model in (Employee, SocialAccount, Election, CandidatePair, CampaignAccount, AuditEvent))


def check(result: Result, path: Path, before: tuple[int, ...], after: tuple[int, ...]) -> None:
    """Success, or a located refusal that wrote nothing; never an unexpected exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        problems = [line for line in result.output.splitlines() if line.startswith(str(path))]
        assert problems and "nothing was written" in result.output and after == before, result.output


@FUZZ
@given(header=st.lists(st.one_of(st.sampled_from(KNOWN_HEADERS), st.text(max_size=12)), min_size=1, max_size=9),
       rows=rows_strategy, raw=st.booleans(), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
def test_roster_csv_is_imported_or_refused_with_located_errors(
        db_url: str, session: Session, tmp_path: Path, header: list[str], rows: list[list[str]], raw: bool,
        delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    if raw:  # written by hand: quotes left open, ragged rows
        buffer.write("\n".join(delimiter.join(r) for r in [header, *rows]))
    else:
        csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path = tmp_path / "pegawai.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    before = counts(session)
    result = runner.invoke(app, ["roster", "import", str(path)])
    check(result, path, before, counts(session))


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(
    st.none(), st.integers(min_value=-10**20, max_value=10**20), st.floats(allow_nan=True), st.booleans(),
    st.dates(min_value=date(1900, 1, 1)), st.datetimes(min_value=datetime(1900, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20), cell_text.filter(str.isprintable),
), max_size=9), max_size=6), keep_header=st.booleans())
def test_roster_xlsx_is_imported_or_refused_with_located_errors(
        db_url: str, session: Session, tmp_path: Path, rows: list[list[Any]], keep_header: bool) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if keep_header:
        sheet.append(HEADER)
        sheet.append(ROWS[0])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "pegawai.xlsx"
    workbook.save(path)
    before = counts(session)
    result = runner.invoke(app, ["roster", "import", str(path)])
    check(result, path, before, counts(session))


scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=15),
                   st.dates(), st.sampled_from(["#tag", "@handle", "pilgub", "2024-13-40", "Asia/Jakarta"]))
value = st.recursive(scalar, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                     max_leaves=8)


def _mutate(doc: Any, rnd: random.Random, replacement: Any, delete: bool) -> Any:
    """Replace (or delete) one node chosen at random along a random path of ``doc``."""
    doc = copy.deepcopy(doc)
    node: Any = None
    key: Any = None
    current = doc
    while isinstance(current, dict | list) and current and rnd.random() < 0.8:
        keys = list(current.keys()) if isinstance(current, dict) else list(range(len(current)))
        node, key = current, rnd.choice(keys)
        current = node[key]
    if node is None:
        return replacement
    if delete:
        del node[key]
    else:
        node[key] = replacement
    return doc


@FUZZ
@given(mutations=st.lists(st.tuples(st.integers(min_value=0), value, st.booleans()), min_size=1, max_size=3))
def test_election_file_is_imported_or_refused_with_located_errors(
        db_url: str, session: Session, tmp_path: Path, mutations: list[tuple[int, Any, bool]]) -> None:
    doc: Any = EXAMPLE
    for seed, replacement, delete in mutations:
        doc = _mutate(doc, random.Random(seed), replacement, delete)
    path = tmp_path / "pilkada.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = counts(session)
    result = runner.invoke(app, ["election", "import", str(path)])
    check(result, path, before, counts(session))


def test_a_50_mb_csv_cell_is_a_located_error(db_url: str, session: Session, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_text(",".join(HEADER) + '\n198609262015051001,"' + "x" * 50_000_000 + '"\n', encoding="utf-8")
    result = runner.invoke(app, ["roster", "import", str(path)])
    assert f"{path}:2: a cell longer than" in result.output


def test_yaml_nested_thousands_deep_is_a_located_error(db_url: str, session: Session, tmp_path: Path) -> None:
    path = tmp_path / "pilkada.yaml"
    path.write_text("election: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["election", "import", str(path)])
    assert f"{path}: not valid for an election file: YAML nested too deeply" in result.output


def test_deep_but_parseable_yaml_is_refused_before_validation(db_url: str, session: Session, tmp_path: Path) -> None:
    path = tmp_path / "pilkada.yaml"
    path.write_text("election: " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["election", "import", str(path)])
    assert "nested more than 12 levels deep" in result.output
