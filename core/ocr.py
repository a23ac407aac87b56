"""Text from screenshots, with Tesseract's Indonesian model (Debian ``tesseract-ocr-ind``).

The ``tesseract`` executable is called directly (stdin → stdout), so no Python binding is needed and
the image bytes are exactly the archived ones. Reports are a handful of screenshots, so one process
per image is cheap enough.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

from core.errors import NetralError

log = logging.getLogger(__name__)


class OcrError(NetralError):
    """Tesseract is missing, lacks the language model, or could not read the image."""


def tesseract_available(cmd: str, languages: str) -> str | None:
    """Why OCR cannot run with ``cmd`` and ``languages`` (``ind+eng``), or None if it can."""
    if shutil.which(cmd) is None:
        return f"OCR program {cmd!r} not found (install the Debian packages tesseract-ocr tesseract-ocr-ind)"
    try:
        out = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"OCR program {cmd!r} does not run: {exc}"
    have = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        return f"Tesseract language model(s) {', '.join(missing)} missing (Debian: tesseract-ocr-{missing[0]})"
    return None


def ocr_image(image: bytes, *, cmd: str = "tesseract", languages: str = "ind", timeout: float = 60.0) -> str:
    """The text Tesseract reads in ``image`` (PNG, JPEG, TIFF, ...), whitespace-trimmed per line."""
    try:
        proc = subprocess.run([cmd, "stdin", "stdout", "-l", languages, "--psm", "3"], input=image,
                              capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise OcrError(f"OCR program {cmd!r} not found") from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"OCR took longer than {timeout:g} s") from exc
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"OCR failed: {detail[-1] if detail else f'exit code {proc.returncode}'}")
    text = proc.stdout.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()
