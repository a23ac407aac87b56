"""The installation's own keys, kept as files under the data directory, never in the database.

Two keys, both created on first use with owner-only permissions (0600, directory 0700):

- an **Ed25519 signing key** (``keys/installation_ed25519.pem``): signs what leaves the installation
  or must be checked later without trusting the database — dossier manifests, audit checkpoints.
  The receiving institution checks a signature with the public key (``netral keys show``).
- an **HMAC key** (``keys/audit_hmac.key``, 32 random bytes): keys the audit log's hash chain, so
  someone with write access to the database alone cannot recompute a valid chain.

Keeping them outside the database is the point: a database dump or a database administrator
does not hold them. Back them up with the data directory (they are not in the database backup).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.errors import NetralError

SIGNING_KEY_FILE = "installation_ed25519.pem"
HMAC_KEY_FILE = "audit_hmac.key"


class KeyFileError(NetralError):
    """A key file exists but cannot be read or is not a key of the expected kind."""


def keys_dir(data_dir: Path) -> Path:
    """``<data_dir>/keys``, created owner-only when missing."""
    path = data_dir / "keys"
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write a new key file atomically with mode 0600; a concurrent creator's file wins."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process created the key first: keep theirs
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def write_private(path: Path, data: bytes) -> None:
    """Create an owner-only file beside the keys (e.g. the audit anchor); an existing file is kept."""
    _write_private(path, data)


def signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The installation's Ed25519 private key, created on first use."""
    path = keys_dir(data_dir) / SIGNING_KEY_FILE
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_private(path, pem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise KeyFileError(f"{path}: not a readable Ed25519 private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key")
    return key


def public_key_pem(data_dir: Path) -> str:
    """The public half of the signing key as PEM text, for the receiving institution."""
    return signing_key(data_dir).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """Parse a PEM public key given by a user (``--public-key``)."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise KeyFileError(f"not a PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError("not an Ed25519 public key")
    return key


def sign(data_dir: Path, message: bytes) -> str:
    """Base64 Ed25519 signature of ``message`` with the installation key."""
    return base64.b64encode(signing_key(data_dir).sign(message)).decode("ascii")


def verify(public_key: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    """True when ``signature_b64`` is a valid signature of ``message`` by ``public_key``."""
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def audit_hmac_key(data_dir: Path) -> bytes:
    """The 32-byte key of the audit chain's HMAC, created on first use."""
    path = keys_dir(data_dir) / HMAC_KEY_FILE
    if not path.exists():
        _write_private(path, secrets.token_bytes(32))
    data = path.read_bytes()
    if len(data) != 32:
        raise KeyFileError(f"{path}: expected 32 bytes, found {len(data)}")
    return data
