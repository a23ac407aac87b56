"""PDF of a DOCX by LibreOffice headless (Debian ``libreoffice-writer-nogui``), so both show the same content.

Each conversion runs with its own throw-away LibreOffice profile directory: two exports at once would
otherwise fight over the shared profile lock and one would silently produce nothing.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import NetralError

log = logging.getLogger(__name__)


class PdfConversionError(NetralError):
    """LibreOffice is missing, failed or took too long."""


def docx_to_pdf(docx: bytes, soffice: str = "soffice", timeout: float = 120.0) -> bytes:
    """The PDF LibreOffice makes of ``docx``."""
    exe = shutil.which(soffice)
    if exe is None:
        raise PdfConversionError(f"LibreOffice ({soffice!r}) is not installed: install the Debian package "
                                 "libreoffice-writer-nogui (or set NETRAL_SOFFICE_CMD)")
    with tempfile.TemporaryDirectory(prefix="netral-pdf-") as tmp:
        work = Path(tmp)
        src = work / "laporan.docx"
        src.write_bytes(docx)
        cmd = [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work / "out"), str(src)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfConversionError(f"LibreOffice did not finish the PDF within {timeout:.0f} s") from None
        pdf = work / "out" / "laporan.pdf"
        if done.returncode != 0 or not pdf.is_file():
            err = done.stderr.decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionError(f"LibreOffice could not convert the report to PDF (exit {done.returncode}): "
                                     f"{err or 'no output'}")
        return pdf.read_bytes()
