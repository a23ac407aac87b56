"""Write roster files (CSV in various encodings, XLSX) for the import tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

HEADER = ["NIP", "Nama", "Unit Kerja", "Jabatan", "Jenis Pegawai", "Bluesky", "X"]
ROWS = [
    ["198609262015051001", "Agus Wiranata", "Dinas Pendidikan", "Guru", "PNS", "agus.test", "agus_w"],
    ["199001012022212002", "Citra Lembayung", "Dinas Kesehatan", "Perawat", "PPPK", "", "citra_l"],
    ["THL-2023-0001", "Dedi Permadi", "Kecamatan Tanjung Sepat", "Staf", "Honorer", "dedi.test", ""],
]


def write_csv(path: Path, rows: list[list[str]] | None = None, header: list[str] | None = None,
              encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER if header is None else header)
    writer.writerows(ROWS if rows is None else rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[str]] | None = None, header: list[str] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER if header is None else header)
    for row in ROWS if rows is None else rows:
        sheet.append(row)
    workbook.save(path)
    return path
