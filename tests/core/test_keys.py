"""The installation keys live in files under the data directory, owner-only, stable across calls."""

from __future__ import annotations

import stat
from pathlib import Path

from core import keys


def test_signing_key_file_is_owner_only(tmp_path: Path) -> None:
    keys.signing_key(tmp_path)
    mode = stat.S_IMODE((tmp_path / "keys" / keys.SIGNING_KEY_FILE).stat().st_mode)
    assert mode == 0o600


def test_signature_verifies_with_the_shown_public_key(tmp_path: Path) -> None:
    signature = keys.sign(tmp_path, b"manifest")
    public = keys.load_public_key(keys.public_key_pem(tmp_path))
    assert keys.verify(public, b"manifest", signature)


def test_signature_of_other_bytes_fails(tmp_path: Path) -> None:
    signature = keys.sign(tmp_path, b"manifest")
    public = keys.load_public_key(keys.public_key_pem(tmp_path))
    assert not keys.verify(public, b"manifest!", signature)


def test_hmac_key_is_created_once(tmp_path: Path) -> None:
    assert keys.audit_hmac_key(tmp_path) == keys.audit_hmac_key(tmp_path)
