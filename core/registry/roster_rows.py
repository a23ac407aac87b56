"""Turn a roster table into validated rows: header mapping, field checks, NIP parsing.

Documented columns (``docs/roster.md``); Indonesian and English headers are both accepted, case and
spacing ignored:

=============  ==========================================================  ========
field          headers                                                      required
=============  ==========================================================  ========
id_number      NIP, NI PPPK, NIP/NI PPPK, Nomor Pegawai, ID Pegawai, id      yes
name           Nama, Nama Pegawai, name                                      yes
unit           Unit Kerja, OPD, Perangkat Daerah, unit                       yes
position       Jabatan, position                                             no
employee_type  Jenis Pegawai, Status Pegawai, type, employee_type            yes
active         Aktif, active                                                 no
declared_on    Tanggal Deklarasi, declared_on                                no
<platform>     bluesky, mastodon, youtube, x / twitter, facebook,            no
               instagram, tiktok, whatsapp (or "Akun <platform>")
=============  ==========================================================  ========

A platform cell may hold several handles separated by ``;`` or ``|``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.errors import Problem
from core.models.enums import EmployeeType, Platform
from core.registry.handles import HandleError, normalise_handle, parse_platform
from core.registry.nip import NipFormatError, parse_ni_pppk, parse_nip
from core.registry.tabular import Table

FIELD_HEADERS: dict[str, set[str]] = {
    "id_number": {"nip", "ni pppk", "nip/ni pppk", "nip / ni pppk", "nomor pegawai", "id pegawai", "id", "id_number"},
    "name": {"nama", "nama pegawai", "nama lengkap", "name"},
    "unit": {"unit kerja", "opd", "perangkat daerah", "unit"},
    "position": {"jabatan", "position"},
    "employee_type": {"jenis pegawai", "status pegawai", "type", "employee_type", "jenis"},
    "active": {"aktif", "active", "status aktif"},
    "declared_on": {"tanggal deklarasi", "declared_on", "tgl deklarasi"},
}
REQUIRED = ("id_number", "name", "unit", "employee_type")
TYPE_WORDS: dict[str, EmployeeType] = {
    "pns": EmployeeType.PNS,
    "cpns": EmployeeType.PNS,
    "pppk": EmployeeType.PPPK,
    "p3k": EmployeeType.PPPK,
    "non_asn": EmployeeType.NON_ASN,
    "non asn": EmployeeType.NON_ASN,
    "non-asn": EmployeeType.NON_ASN,
    "honorer": EmployeeType.NON_ASN,
    "kontrak": EmployeeType.NON_ASN,
    "tenaga kontrak": EmployeeType.NON_ASN,
    "thl": EmployeeType.NON_ASN,
}
YES = {"", "ya", "y", "yes", "true", "1", "aktif"}
NO = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "non-aktif", "tidak aktif"}


@dataclass
class RosterRow:
    """One validated employee row with the accounts it declares."""

    row: int
    id_number: str
    name: str
    unit: str
    position: str | None
    employee_type: EmployeeType
    active: bool
    declared_on: date | None
    birth_date: date | None = None
    appointment: str | None = None
    gender: str | None = None
    accounts: list[tuple[Platform, str, str]] = field(default_factory=list)  # platform, handle, column


@dataclass
class ParsedRoster:
    """The rows of a roster file, or the problems that stop it from being imported."""

    rows: list[RosterRow]
    errors: list[Problem]
    warnings: list[Problem]


def _key(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


def map_header(table: Table) -> tuple[dict[str, int], dict[int, Platform], list[Problem]]:
    """Map header cells to fields and platform columns; report unknown, duplicate and missing ones."""
    fields: dict[str, int] = {}
    platforms: dict[int, Platform] = {}
    problems: list[Problem] = []
    lookup = {h: f for f, hs in FIELD_HEADERS.items() for h in hs}
    for index, raw in enumerate(table.header):
        key = _key(raw)
        if not key:
            problems.append(Problem(table.path, 1, f"column {index + 1}", "empty header"))
        elif key in lookup:
            if lookup[key] in fields:
                problems.append(Problem(table.path, 1, raw, f"second column for {lookup[key]}"))
            fields[lookup[key]] = index
        elif key.startswith("akun "):
            try:
                platforms[index] = parse_platform(key.removeprefix("akun "))
            except ValueError as exc:
                problems.append(Problem(table.path, 1, raw, str(exc)))
        else:
            try:
                platforms[index] = parse_platform(key)
            except ValueError:
                problems.append(Problem(table.path, 1, raw, "unknown header (see docs/roster.md for the columns)"))
    for name in REQUIRED:
        if name not in fields:
            wanted = " or ".join(sorted(h for h in FIELD_HEADERS[name] if " " in h or h.isupper())[:2])
            problems.append(Problem(table.path, 1, None, f"missing header for {name} ({wanted or name})"))
    return fields, platforms, problems


def _parse_date(text: str) -> date:
    for pattern in (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{2})[/-](\d{2})[/-](\d{4})"):
        m = re.fullmatch(pattern, text)
        if m:
            a, b, c = (int(g) for g in m.groups())
            return date(a, b, c) if a > 31 else date(c, b, a)
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _parse_row(table: Table, number: int, cells: list[str], fields: dict[str, int],
               platforms: dict[int, Platform], errors: list[Problem], warnings: list[Problem]) -> RosterRow | None:
    def cell(name: str) -> str:
        i = fields.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def col(name: str) -> str:
        return table.header[fields[name]]

    start = len(errors)
    name = cell("name")
    if not name:
        errors.append(Problem(table.path, number, col("name"), "name is missing"))
    unit = cell("unit")
    if not unit:
        errors.append(Problem(table.path, number, col("unit"), "unit is missing"))
    type_word = cell("employee_type").lower()
    etype = TYPE_WORDS.get(type_word)
    if etype is None:
        errors.append(Problem(table.path, number, col("employee_type"),
                              f"unknown employee type {cell('employee_type')!r} (PNS, PPPK or NON_ASN)"))
    raw_id = cell("id_number")
    row = RosterRow(number, raw_id, name, unit, cell("position") or None,
                    etype or EmployeeType.NON_ASN, True, None)
    if not raw_id:
        errors.append(Problem(table.path, number, col("id_number"), "NIP / NI PPPK / staff number is missing"))
    elif etype in (EmployeeType.PNS, EmployeeType.PPPK):
        try:
            parsed = parse_nip(raw_id) if etype is EmployeeType.PNS else parse_ni_pppk(raw_id)
        except NipFormatError as exc:
            errors.append(Problem(table.path, number, col("id_number"), str(exc)))
        else:
            row.id_number, row.birth_date, row.gender = parsed.number, parsed.birth_date, parsed.gender
            row.appointment = parsed.appointment
            warnings.extend(Problem(table.path, number, col("id_number"), f"{parsed.kind} {w}", "warning")
                            for w in parsed.warnings)
    elif not re.fullmatch(r"[A-Za-z0-9./\- ]{1,32}", raw_id):
        errors.append(Problem(table.path, number, col("id_number"), f"malformed staff number {raw_id!r}"))
    if "active" in fields:
        flag = cell("active").lower()
        if flag not in YES | NO:
            errors.append(Problem(table.path, number, col("active"), f"{cell('active')!r} is not ya/tidak"))
        row.active = flag in YES
    if cell("declared_on"):
        try:
            row.declared_on = _parse_date(cell("declared_on"))
        except ValueError as exc:
            errors.append(Problem(table.path, number, col("declared_on"), str(exc)))
    for index, platform in platforms.items():
        value = cells[index] if index < len(cells) else ""
        for part in (p for p in re.split(r"[;|\n]", value) if p.strip()):
            try:
                row.accounts.append((platform, normalise_handle(platform, part), table.header[index]))
            except HandleError as exc:
                errors.append(Problem(table.path, number, table.header[index], str(exc)))
    return row if len(errors) == start else None


def parse_roster(table: Table) -> ParsedRoster:
    """Validate every row of ``table``; errors and warnings name file, row and column."""
    fields, platforms, errors = map_header(table)
    warnings: list[Problem] = []
    if not table.rows:
        errors.append(Problem(table.path, None, None, "file has a header but no employee rows"))
    if errors:
        return ParsedRoster([], errors, warnings)
    rows: list[RosterRow] = []
    seen_ids: dict[str, int] = {}
    seen_accounts: dict[tuple[Platform, str], int] = {}
    for number, cells in table.rows:
        row = _parse_row(table, number, cells, fields, platforms, errors, warnings)
        if row is None:
            continue
        if row.id_number in seen_ids:
            errors.append(Problem(table.path, number, table.header[fields["id_number"]],
                                  f"duplicate employee {row.id_number}: already on row {seen_ids[row.id_number]}"))
            continue
        seen_ids[row.id_number] = number
        for platform, handle, column in row.accounts:
            other = seen_accounts.get((platform, handle))
            if other is not None:
                errors.append(Problem(table.path, number, column,
                                      f"{platform.value} account {handle} is already claimed on row {other}"))
            seen_accounts[(platform, handle)] = number
        rows.append(row)
    return ParsedRoster(rows, errors, warnings)
