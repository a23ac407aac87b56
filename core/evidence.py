"""The evidence archive: every raw response or file, stored content-addressed by its SHA-256.

A case may end in a disciplinary decision, so what the platform returned must be kept exactly and be
checkable later: the file name *is* the hash of the bytes (``<root>/ab/cd/abcd…``), a write is atomic
(temp file + rename) and idempotent (the same bytes are stored once), and :func:`verify` rehashes
every file named in the database. Each capture (fetched-at, request URL, status, a safe subset of
response headers) is its own row of the ``evidence`` table, written by :mod:`core.ingest.store`, pointing at
its file by hash: two requests with identical bodies are two rows and one file.

Credentials never reach the archive: request headers are not kept at all, response headers are kept
only from an allow-list, and query parameters that carry keys or tokens are redacted from URLs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models.base import utcnow
from core.models.content import Evidence

log = logging.getLogger(__name__)

#: Response headers worth keeping as capture context; everything else (cookies...) is dropped.
SAFE_HEADERS = frozenset({
    "content-type", "content-length", "content-language", "date", "last-modified", "etag", "server",
    "link", "retry-after", "age", "cache-control", "x-request-id", "via",
    "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit-policy",
    "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
    "x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset",
})

#: Query parameters that carry credentials on some API (YouTube ``key``, Graph ``access_token`` ...).
SECRET_PARAMS = frozenset({
    "key", "api_key", "apikey", "access_token", "token", "bearer", "client_secret", "password",
    "appsecret_proof", "auth", "signature", "sig",
})
REDACTED = "REDACTED"


def redact_url(url: str) -> str:
    """``url`` with credential-bearing query parameters and user:password replaced by ``REDACTED``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def safe_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """The allow-listed subset of response headers, names in lower case."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k.lower(): v for k, v in items if k.lower() in SAFE_HEADERS}


@dataclass(frozen=True)
class Capture:
    """One raw payload as fetched: the bytes and where, when and how they came.

    Built by crawlers from a response (or by report intake from an uploaded file). ``headers`` may hold
    anything; only :data:`SAFE_HEADERS` are ever stored. ``url`` is redacted when stored.
    """

    body: bytes
    url: str | None = None
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str = "application/octet-stream"
    fetched_at: datetime = field(default_factory=utcnow)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the body (the archive address), computed once per capture."""
        cached: str | None = self.__dict__.get("_sha256")
        if cached is None:
            cached = hashlib.sha256(self.body).hexdigest()
            object.__setattr__(self, "_sha256", cached)
        return cached

    @property
    def key(self) -> str:
        """The capture's identity: hash of the body's hash, the stored (redacted) URL, the status and the time.

        Two requests that return byte-identical bodies share one archived file but are two captures (two
        ``evidence`` rows), so an interaction always points at the request it came from. A record delivered
        again with the same capture maps to the same row (the store stays idempotent).
        """
        cached: str | None = self.__dict__.get("_key")
        if cached is None:
            url = redact_url(self.url) if self.url else ""
            ident = f"{self.sha256}|{url}|{self.status or ''}|{self.fetched_at.isoformat()}"
            cached = hashlib.sha256(ident.encode("utf-8")).hexdigest()
            object.__setattr__(self, "_key", cached)
        return cached


class EvidenceArchive:
    """The content-addressed file store under ``root`` (``settings.resolved_evidence_dir``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def relative_path(self, sha256: str) -> str:
        """Where the bytes with this hash live, relative to the root (``ab/cd/<sha256>``)."""
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path(self, sha256: str) -> Path:
        return self.root / self.relative_path(sha256)

    def put(self, body: bytes, sha256: str | None = None, *, durable: bool = True) -> tuple[str, str]:
        """Store ``body`` once; returns ``(sha256, relative path)``. Safe against concurrent writers.

        ``durable=False`` skips the per-file fsync: a caller writing many files then calls
        :meth:`sync` once, before it commits the rows that name them (what the crawl pipeline does).
        """
        digest = sha256 or hashlib.sha256(body).hexdigest()
        target = self.path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(body)
                    if durable:
                        fh.flush()
                        os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return digest, self.relative_path(digest)

    @staticmethod
    def sync() -> None:
        """Flush every file written so far to disk (one call for a whole batch of ``durable=False`` puts)."""
        os.sync()

    def read(self, sha256: str) -> bytes:
        """The archived bytes for ``sha256`` (``FileNotFoundError`` if absent)."""
        return self.path(sha256).read_bytes()

    def rehash(self, relative_path: str) -> str | None:
        """The SHA-256 of the file now at ``relative_path``, or None if it is missing."""
        file = self.root / relative_path
        if not file.is_file():
            return None
        digest = hashlib.sha256()
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()


@dataclass(frozen=True)
class VerifyProblem:
    """One archived file that no longer proves what it should."""

    evidence_id: int
    sha256: str
    path: str
    reason: str  # "missing" or "hash mismatch: <actual>"

    def __str__(self) -> str:
        return f"evidence {self.evidence_id} {self.path}: {self.reason}"


@dataclass(frozen=True)
class VerifyReport:
    """Outcome of :func:`verify`: how many files were checked and which failed."""

    checked: int
    problems: list[VerifyProblem]
    unreferenced: list[str] = field(default_factory=list)  # archive files no evidence row names

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session, archive: EvidenceArchive) -> VerifyReport:
    """Rehash every archived file recorded in the database and report missing or altered ones.

    Several captures may share one file (identical bodies): each file is checked once, a problem names
    the first capture that cites it.
    """
    problems: list[VerifyProblem] = []
    checked = 0
    seen: set[str] = set()
    rows = session.execute(select(Evidence.id, Evidence.sha256, Evidence.stored_path).order_by(Evidence.id))
    for evidence_id, sha, stored_path in rows:
        if stored_path in seen:
            continue
        seen.add(stored_path)
        checked += 1
        actual = archive.rehash(stored_path)
        if actual is None:
            problems.append(VerifyProblem(evidence_id, sha, stored_path, "missing"))
        elif actual != sha:
            problems.append(VerifyProblem(evidence_id, sha, stored_path, f"hash mismatch: now {actual}"))
    if problems:
        log.warning("evidence verify: %d of %d files failed", len(problems), checked)
    return VerifyReport(checked, problems, unreferenced(session, archive))


def captures_of(session: Session, evidence_ids: Iterable[int]) -> list[Evidence]:
    """The capture rows with these ids, oldest first: what a dossier or an export cites for an interaction.

    Each row names its own request (URL, time, status, safe headers) and its file (``stored_path``,
    ``sha256``); read the bytes with :meth:`EvidenceArchive.path`.
    """
    ids = sorted({i for i in evidence_ids if i is not None})
    found: list[Evidence] = []
    for start in range(0, len(ids), 400):
        found.extend(session.scalars(select(Evidence).where(Evidence.id.in_(ids[start:start + 400]))))
    return sorted(found, key=lambda e: (e.fetched_at, e.id))


#: A file younger than this may belong to a crawl batch not committed yet: never called unreferenced.
GRACE = timedelta(hours=1)


def unreferenced(session: Session, archive: EvidenceArchive, grace: timedelta = GRACE) -> list[str]:
    """Archive files (relative paths) that no evidence row names, older than ``grace``.

    A crawl writes the files of a batch before it commits the rows that name them; one killed in
    between leaves files nothing points to (harmless, and what ``--remove-unreferenced`` clears). A file
    that appeared there some other way is worth a look too: nothing in netral cites it.
    """
    cutoff = time.time() - grace.total_seconds()
    files = sorted(str(p.relative_to(archive.root)) for p in archive.root.glob("??/??/*")
                   if p.is_file() and p.stat().st_mtime < cutoff)
    named: set[str] = set()
    for start in range(0, len(files), 400):
        part = files[start:start + 400]
        named.update(session.scalars(select(Evidence.stored_path).where(Evidence.stored_path.in_(part))))
    return [f for f in files if f not in named]
