"""Read a CSV or XLSX file into header + numbered rows, rejecting what is neither.

CSV is accepted as UTF-8 (with or without BOM) or cp1252 (what Excel on Windows writes), with ``,``,
``;`` or tab delimiters. Row numbers are the ones a person sees in a spreadsheet (header = row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputFileError, Problem


@dataclass(frozen=True)
class Table:
    """A rectangular file: its header cells and its data rows, each with its row number."""

    path: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def _fail(path: str, message: str, row: int | None = None) -> InputFileError:
    return InputFileError([Problem(path, row, None, message)])


def _decode(path: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(path, "file is UTF-16 text; save it as CSV UTF-8 (or CSV Windows cp1252)")
    if b"\x00" in data[:4096]:
        raise _fail(path, "file holds binary data (NUL bytes): it is not a CSV text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(path, f"bytes at offset {exc.start} are neither UTF-8 nor cp1252 text", line) from exc


def _read_csv(path: str, data: bytes) -> Table:
    text = _decode(path, data)
    if not text.strip():
        raise _fail(path, "file is empty")
    first_line = text.splitlines()[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            records.append((reader.line_num, row))
    except csv.Error as exc:
        # The csv module's own limit (128 KiB per cell) is far above any roster value; a cell that long is a
        # broken quote that swallowed the rest of the file, or not a roster at all.
        line = reader.line_num or 1
        if "field larger than field limit" in str(exc):
            message = (f"a cell longer than {csv.field_size_limit():,} characters starts on or before this line "
                       "(an unclosed quote swallows the rest of the file?)")
        else:
            message = f"not readable as CSV: {exc}"
        raise _fail(path, message, line) from exc
    if not records:
        raise _fail(path, "file is empty")
    header = [c.strip() for c in records[0][1]]
    rows = [(n, [c.strip() for c in row]) for n, row in records[1:] if any(c.strip() for c in row)]
    return Table(path, header, rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


def _read_xlsx(path: str, data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _fail(path, f"not a readable XLSX workbook ({exc})") from exc
    sheet = workbook.worksheets[0]
    all_rows = [(i, [_cell(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    all_rows = [(i, r) for i, r in all_rows if any(r)]
    if not all_rows:
        raise _fail(path, "workbook's first sheet is empty")
    header_row, header = all_rows[0]
    width = len(header)
    rows = [(i, (r + [""] * width)[:width] if len(r) < width else r) for i, r in all_rows[1:]]
    if header_row != 1:
        rows = [(i, r) for i, r in rows if i > header_row]
    return Table(path, header, rows)


def read_table(path: Path) -> Table:
    """Read ``path`` as CSV or XLSX by its extension and content; raise :class:`InputFileError`."""
    name = str(path)
    if not path.is_file():
        raise _fail(name, "no such file")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        if not data.startswith(b"PK"):
            raise _fail(name, "file has the .xlsx extension but is not an XLSX workbook")
        return _read_xlsx(name, data)
    if suffix in {".csv", ".txt", ".tsv"}:
        if data.startswith(b"PK\x03\x04"):
            raise _fail(name, "file is a ZIP/XLSX workbook, not CSV text: rename it to .xlsx")
        return _read_csv(name, data)
    raise _fail(name, f"unsupported file type {suffix or '(none)'}: give a .csv or .xlsx file")
