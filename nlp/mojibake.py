"""Repair text that was UTF-8 decoded as Windows-1252 / Latin-1, once or several times over.

Scraped posts arrive double-encoded ("Ã°Å¸â€˜Â" for an emoji, "â€œ" for a quote mark); left alone,
the emoji that carry ballot numbers and the quote marks around slogans are lost.  The repair is
repeated until the text stops changing (at most :data:`MAX_ROUNDS`), and a round is only kept when it
decodes cleanly, so correct text that merely contains "Ã" is left as it is.
"""

from __future__ import annotations

import re

MAX_ROUNDS = 4
# Sequences a UTF-8 lead byte leaves behind when read as cp1252/latin-1.
_SUSPECT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def _sloppy_byte(ch: str) -> int | None:
    """The byte ``ch`` came from when bytes were read as cp1252, with latin-1 for the five bytes cp1252
    leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d: decoders pass them through as control characters)."""
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(ch) if ord(ch) < 256 else None


def _round(text: str) -> str | None:
    raw = bytearray()
    for ch in text:
        byte = _sloppy_byte(ch)
        if byte is None:
            return None
        raw.append(byte)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def sloppy_cp1252(data: bytes) -> str:
    """Decode ``data`` the way a careless pipeline does (cp1252, undefined bytes as latin-1): used to
    produce mojibake in tests."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def repair(text: str) -> str:
    """``text`` with mojibake undone until stable; unchanged when nothing looks double-encoded."""
    for _ in range(MAX_ROUNDS):
        if not _SUSPECT.search(text):
            return text
        fixed = _round(text)
        if fixed is None or fixed == text:
            return text
        text = fixed
    return text
