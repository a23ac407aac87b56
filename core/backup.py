"""One-file backups of an installation (database + evidence archive) and their restore.

A backup is a tar archive:

- ``manifest.json``: when, which database dialect and revision, the row counts of the main tables, and
  the SHA-256 of every member;
- ``database.sqlite`` (SQLite's online backup API: a consistent copy while a scan writes) or
  ``database.pgdump`` (``pg_dump --format=custom``: one snapshot transaction);
- ``evidence/<aa>/<bb>/<sha256>``: every archived file the database copy refers to.

Consistency while a scan and reviewers run: the database is copied first, as one snapshot; evidence files
are written before the rows that name them commit and are never changed (content-addressed), so every
file the snapshot names exists when the files are copied afterwards. The keys (audit HMAC, signing key)
are *not* in the backup: whoever holds a backup must not be able to rewrite the audit chain. Keep
``<data_dir>/keys`` in a separate, safer place; restore verifies the chain with the installation's key.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from core import audit, migrate
from core.errors import NetralError
from core.evidence import EvidenceArchive
from core.evidence import verify as verify_evidence
from core.models import AuditEvent, Case, ContentItem, Employee, Evidence, Incident, Interaction
from core.models.base import utcnow

log = logging.getLogger(__name__)
FORMAT = 1
COUNTED = {"employee": Employee, "content_item": ContentItem, "interaction": Interaction, "evidence": Evidence,
           "case": Case, "incident": Incident, "audit_event": AuditEvent}


class BackupError(NetralError):
    """A backup could not be made or restored; nothing was left half-done."""


@dataclass
class RestoreReport:
    """What a restore put in place and what the two verifications found."""

    counts: dict[str, int]
    evidence_files: int
    audit_problems: list[str] = field(default_factory=list)
    evidence_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.audit_problems and not self.evidence_problems


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parts[-3])
    if not candidates:
        raise BackupError(f"{name} not found: install Debian's postgresql-client")
    return str(candidates[-1])


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _counts(session: Session) -> dict[str, int]:
    return {name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in COUNTED.items()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _Snapshot:
    dump: Path
    counts: dict[str, int]
    evidence_paths: list[str]
    revision: str | None


def _read_snapshot(session: Session) -> tuple[dict[str, int], list[str], str | None]:
    paths = sorted(set(session.scalars(select(Evidence.stored_path).distinct())))
    revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return _counts(session), paths, revision


def _snapshot_database(engine: Engine, url: str, work: Path) -> _Snapshot:
    """Copy the database into ``work`` as one snapshot, with the counts and evidence paths of that snapshot."""
    if engine.dialect.name == "sqlite":
        source = make_url(url).database
        if not source:
            raise BackupError("an in-memory SQLite database cannot be backed up")
        target = work / "database.sqlite"
        src = sqlite3.connect(source, timeout=60)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # online backup: a consistent copy while others write
        finally:
            dst.close()
            src.close()
        from core.db import make_engine

        copy = make_engine(f"sqlite:///{target}")
        try:
            with Session(copy) as session:
                return _Snapshot(target, *_read_snapshot(session))
        finally:
            copy.dispose()
    if engine.dialect.name == "postgresql":
        target = work / "database.pgdump"
        # pg_dump reads the snapshot this transaction exports: the dump, the counts and the evidence list
        # are the same instant, however much a scan writes meanwhile.
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            with Session(bind=conn) as session:
                counts, paths, revision = _read_snapshot(session)
            result = subprocess.run([_pg_bin("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                                     f"--file={target}", f"--dbname={_libpq_url(url)}"],
                                    capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        return _Snapshot(target, counts, paths, revision)
    raise BackupError(f"backups of {engine.dialect.name} databases are not supported")


def create(engine: Engine, url: str, archive: EvidenceArchive, out: Path) -> dict[str, Any]:
    """Write a backup of the database at ``url`` and the evidence it names to ``out``; return the manifest.

    The archive is written under a temporary name and renamed when complete: a crash leaves no file that
    looks like a backup.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netral-backup-", dir=out.parent) as tmp:
        started = utcnow()
        snap = _snapshot_database(engine, url, Path(tmp))
        members: dict[str, str] = {snap.dump.name: _sha256(snap.dump)}
        partial = out.with_name(f".{out.name}.partial")
        try:
            with tarfile.open(partial, "w") as tar:
                tar.add(snap.dump, arcname=snap.dump.name)
                for rel in snap.evidence_paths:
                    source = archive.root / rel
                    if not source.is_file():
                        raise BackupError(f"evidence file {rel} named by the database is missing; "
                                          "run `netral evidence verify`")
                    members[f"evidence/{rel}"] = _sha256(source)
                    tar.add(source, arcname=f"evidence/{rel}")
                manifest = {"format": FORMAT, "created_at": started.isoformat(), "finished_at": utcnow().isoformat(),
                            "dialect": engine.dialect.name, "revision": snap.revision, "counts": snap.counts,
                            "evidence_files": len(snap.evidence_paths), "sha256": members}
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(started.timestamp())
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    log.info("backup %s: %d evidence files, counts %s", out, len(snap.evidence_paths), snap.counts)
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path`` (raises :class:`BackupError` when it is not one)."""
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            doc: dict[str, Any] = json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path}: not a netral backup ({exc})") from exc
    if doc.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {doc.get('format')!r}, this version reads {FORMAT}")
    return doc


def _is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def restore(path: Path, engine: Engine, url: str, archive: EvidenceArchive, *, force: bool = False) -> RestoreReport:
    """Restore the backup at ``path`` into the (empty) database at ``url`` and ``archive``, then verify both."""
    manifest = read_manifest(path)
    if manifest["dialect"] != engine.dialect.name:
        raise BackupError(f"{path} holds a {manifest['dialect']} database; the target is {engine.dialect.name}")
    if not _is_empty(engine) and not force:
        raise BackupError("the target database is not empty: restore into an empty one, or pass --force to "
                          "replace it")
    with tempfile.TemporaryDirectory(prefix="netral-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(path, "r") as tar:
            tar.extractall(work, filter="data")
        for name, digest in manifest["sha256"].items():
            member = work / name
            if not member.is_file() or _sha256(member) != digest:
                raise BackupError(f"{path}: member {name} is missing or does not match its SHA-256; nothing restored")
        engine.dispose()
        if engine.dialect.name == "sqlite":
            target = make_url(url).database
            assert target
            for suffix in ("-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
            shutil.copyfile(work / "database.sqlite", target)
        else:
            args = [_pg_bin("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_libpq_url(url)}"]
            if force:
                args[1:1] = ["--clean", "--if-exists"]
            result = subprocess.run([*args, str(work / "database.pgdump")], capture_output=True, text=True,
                                    check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        copied = 0
        for name in manifest["sha256"]:
            if name.startswith("evidence/"):
                rel = name.removeprefix("evidence/")
                dest = archive.root / rel
                if not dest.is_file():
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(work / name, dest)
                copied += 1
    if migrate.current(engine) not in migrate.heads():
        log.warning("restored database is at revision %s: run `netral db upgrade`", migrate.current(engine))
    with Session(engine) as session:
        counts = _counts(session)
        chain = audit.walk_chain(session)
        checked = verify_evidence(session, archive)
    return RestoreReport(counts, copied, [f"event {b.event_id}: {b.reason}" for b in chain.breaks],
                         [str(p) for p in checked.problems])


def prune(directory: Path, keep: int, prefix: str = "netral-") -> list[Path]:
    """Delete all but the newest ``keep`` backups named ``<prefix>*.tar`` in ``directory``; return the deleted."""
    backups = sorted(directory.glob(f"{prefix}*.tar"), key=lambda p: p.stat().st_mtime, reverse=True)
    gone = backups[keep:]
    for old in gone:
        old.unlink()
    return gone


def default_name(now: datetime | None = None) -> str:
    """``netral-YYYYmmdd-HHMMSS.tar`` in UTC."""
    return f"netral-{(now or utcnow()).strftime('%Y%m%d-%H%M%S')}.tar"
