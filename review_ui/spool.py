"""Spooled downloads: build or copy a file first (memory, then disk), commit, then stream it.

Downloads that are audited (a data-subject ZIP, an evidence file) must commit their audit event before the
first byte is sent, and must send exactly the bytes they checked; spooling gives both without holding a
large file in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

SPOOL_BYTES = 16 * 1024 * 1024  # larger files go to a temporary file, never all into memory
CHUNK_BYTES = 256 * 1024


def new_spool() -> IO[bytes]:
    """A temporary file that stays in memory up to :data:`SPOOL_BYTES` (the caller or :func:`chunks` closes it)."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # closed by chunks or the caller


def chunks(fh: IO[bytes]) -> Iterator[bytes]:
    """The spooled file in chunks; the temporary file is closed (and deleted) when sent or abandoned."""
    try:
        fh.seek(0)
        while chunk := fh.read(CHUNK_BYTES):
            yield chunk
    finally:
        fh.close()
