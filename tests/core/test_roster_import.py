"""Roster import: every error kind writes nothing; re-import is idempotent; --dry-run and --sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import AuditEvent, Employee, SocialAccount
from pipelines.cli import app
from tests.core.rosterfiles import HEADER, ROWS, write_csv, write_xlsx

runner = CliRunner()


def counts(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Employee)) or 0,
        session.scalar(select(func.count()).select_from(SocialAccount)) or 0,
        session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
    )


def run_import(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["roster", "import", *args])
    return result.exit_code, result.output


def test_import_csv_creates_employees_and_accounts(db_url: str, session: Session, tmp_path: Path) -> None:
    code, out = run_import(str(write_csv(tmp_path / "roster.csv")))
    assert code == 0, out
    assert counts(session) == (3, 4, 1)
    agus = session.scalars(select(Employee).where(Employee.id_number == "198609262015051001")).one()
    assert agus.unit == "Dinas Pendidikan" and agus.gender == "M" and agus.appointment == "201505"
    assert {(a.platform, a.handle) for a in agus.accounts} == {("bluesky", "agus.test"), ("x", "agus_w")}
    dedi = session.scalars(select(Employee).where(Employee.id_number == "THL-2023-0001")).one()
    assert dedi.employee_type == "NON_ASN"


def test_reimport_of_the_same_file_changes_nothing(db_url: str, session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv")
    assert run_import(str(path))[0] == 0
    before = counts(session)
    code, out = run_import(str(path))
    assert code == 0
    assert "employees +0 ~0 -0 (unchanged 3)" in out
    assert counts(session) == before  # not even an audit event


def test_xlsx_semicolon_bom_and_cp1252_are_accepted(db_url: str, session: Session, tmp_path: Path) -> None:
    rows = [["198609262015051001", "Agus Wiranata", "Dinas Pendidikan", "Guru", "PNS", "agus.test", ""]]
    assert run_import(str(write_xlsx(tmp_path / "r.xlsx", rows)))[0] == 0
    rows2 = [["198609262015052002", "Sitì Nurhaliza", "Dinas Sosial", "Staf", "PNS", "", "siti_n"]]
    code, out = run_import(str(write_csv(tmp_path / "r1252.csv", rows2, encoding="cp1252", delimiter=";")))
    assert code == 0, out
    rows3 = [["198609262015051003", "Rina Purbasari", "Dinas Sosial", "Staf", "PNS", "", "rina_p"]]
    assert run_import(str(write_csv(tmp_path / "bom.csv", rows3, encoding="utf-8-sig")))[0] == 0
    names = set(session.scalars(select(Employee.name)))
    assert names == {"Agus Wiranata", "Sitì Nurhaliza", "Rina Purbasari"}


def test_dry_run_prints_changes_and_writes_nothing(db_url: str, session: Session, tmp_path: Path) -> None:
    code, out = run_import(str(write_csv(tmp_path / "roster.csv")), "--dry-run")
    assert code == 0
    assert "+ employee 198609262015051001 Agus Wiranata" in out
    assert "dry run, nothing written" in out
    assert counts(session) == (0, 0, 0)


def test_accounts_absent_are_deactivated_only_with_sync(db_url: str, session: Session, tmp_path: Path) -> None:
    assert run_import(str(write_csv(tmp_path / "full.csv")))[0] == 0
    smaller = write_csv(tmp_path / "small.csv", [[*ROWS[0][:5], "agus.test", ""], ROWS[1]])
    assert run_import(str(smaller))[0] == 0
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SocialAccount).where(SocialAccount.active)) == 4
    code, out = run_import(str(smaller), "--sync")
    assert code == 0, out
    session.expire_all()
    active = {a.handle for a in session.scalars(select(SocialAccount).where(SocialAccount.active))}
    assert active == {"agus.test", "citra_l"}
    dedi = session.scalars(select(Employee).where(Employee.id_number == "THL-2023-0001")).one()
    assert dedi.active is False
    # and back: reactivated by the next full import
    assert run_import(str(tmp_path / "full.csv"))[0] == 0
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SocialAccount).where(SocialAccount.active)) == 4


def test_nip_warnings_are_reported_but_the_row_is_imported(db_url: str, session: Session, tmp_path: Path) -> None:
    rows = [["198609262015053001", "Agus Wiranata", "Dinas Pendidikan", "Guru", "PNS", "", ""]]
    result = runner.invoke(app, ["roster", "import", str(write_csv(tmp_path / "w.csv", rows))])
    assert result.exit_code == 0
    assert f"{tmp_path / 'w.csv'}:2:NIP: NIP gender digit 3" in result.output
    assert counts(session)[0] == 1


BAD_CASES = {
    "missing_header": (None, HEADER[:1] + HEADER[2:], [r[:1] + r[2:] for r in ROWS], ":1: missing header for name"),
    "unknown_header": (None, [*HEADER, "Hobi"], [[*r, "x"] for r in ROWS], ":1:Hobi: unknown header"),
    "unknown_platform": (None, [*HEADER, "Akun Friendster"], [[*r, "x"] for r in ROWS],
                         ":1:Akun Friendster: unknown platform 'friendster'"),
    "missing_name": (None, HEADER, [ROWS[0], [ROWS[1][0], "", *ROWS[1][2:]]], ":3:Nama: name is missing"),
    "malformed_nip": (None, HEADER, [["19860926201505100", *ROWS[0][1:]]], ":2:NIP: NIP must be 18 digits"),
    "pppk_nip_letters": (None, HEADER, [ROWS[0], ["1990010120222X2002", *ROWS[1][1:]]],
                         ":3:NIP: NI PPPK must be 18 digits"),
    "malformed_handle": (None, HEADER, [[*ROWS[0][:5], "agus", ""]], ":2:Bluesky: malformed bluesky handle 'agus'"),
    "account_claimed_twice": (None, HEADER, [ROWS[0], [*ROWS[1][:5], "", "agus_w"]],
                              ":3:X: x account agus_w is already claimed on row 2"),
    "duplicate_employee": (None, HEADER, [ROWS[0], ROWS[1], ["19860926 201505 1 001", *ROWS[0][1:5], "", ""]],
                           ":4:NIP: duplicate employee 198609262015051001: already on row 2"),
    "unknown_type": (None, HEADER, [[*ROWS[0][:4], "Magang", "", ""]], ":2:Jenis Pegawai: unknown employee type"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_every_error_kind_is_located_and_nothing_is_written(
    case: str, db_url: str, session: Session, tmp_path: Path
) -> None:
    _, header, rows, expected = BAD_CASES[case]
    path = write_csv(tmp_path / f"{case}.csv", rows, header=header)
    # a valid first row must not be written either: the import is one transaction
    code, out = run_import(str(path))
    assert code == 1
    assert f"{path}{expected}" in out, out
    assert "nothing was written" in out
    assert counts(session) == (0, 0, 0)


def test_error_lists_every_problem_not_just_the_first(db_url: str, tmp_path: Path) -> None:
    rows = [["123", "", "Dinas", "Staf", "PNS", "", ""], ["198609262015051001", "Agus", "", "Staf", "PNS", "x", ""]]
    code, out = run_import(str(write_csv(tmp_path / "many.csv", rows)))
    assert code == 1
    assert ":2:NIP:" in out and ":2:Nama:" in out and ":3:Unit Kerja:" in out and ":3:Bluesky:" in out


def test_account_registered_to_another_employee_in_the_database(
    db_url: str, session: Session, tmp_path: Path
) -> None:
    assert run_import(str(write_csv(tmp_path / "a.csv")))[0] == 0
    before = counts(session)
    rows = [["198609262015052009", "Eko Haryatama", "Dinas Sosial", "Staf", "PNS", "agus.test", ""]]
    code, out = run_import(str(write_csv(tmp_path / "b.csv", rows)))
    assert code == 1
    assert "b.csv:2:Bluesky: bluesky account agus.test is already registered to employee 198609262015051001" in out
    assert counts(session) == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "file is empty"),
        ("blank.csv", b"\n\n  \n", "file is empty"),
        ("header_only.csv", b"NIP,Nama,Unit Kerja,Jenis Pegawai\n", "header but no employee rows"),
        ("utf16.csv", "NIP,Nama\n1,a\n".encode("utf-16"), "UTF-16"),
        ("binary.csv", b"%PDF-1.4\x00\x00\x01binary", "binary data"),
        ("roster.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
        ("fake.xlsx", b"NIP,Nama\n", "not an XLSX workbook"),
        ("zip.csv", b"PK\x03\x04rest", "not CSV text"),
        ("broken.xlsx", b"PK\x03\x04broken", "not a readable XLSX workbook"),
    ],
)
def test_files_that_are_not_usable_csv_or_xlsx(
    name: str, content: bytes, expected: str, db_url: str, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out = run_import(str(path))
    assert code == 1
    assert str(path) in out and expected in out, out
    assert counts(session) == (0, 0, 0)


def test_missing_file(db_url: str, tmp_path: Path) -> None:
    code, out = run_import(str(tmp_path / "nope.csv"))
    assert code == 1 and "no such file" in out


def test_example_roster_imports_cleanly(db_url: str, session: Session) -> None:
    code, out = run_import("examples/roster.csv")
    assert code == 0, out
    employees, accounts, _ = counts(session)
    assert 180 <= employees <= 220 and accounts > 150
    units = set(session.scalars(select(Employee.unit)))
    assert len(units) == 15
    assert {t for t in session.scalars(select(Employee.employee_type))} == {"PNS", "PPPK", "NON_ASN"}
