"""Backup while the database is being written, restore into an empty one: same rows, both verifications pass."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core import audit, backup
from core.db import make_engine
from core.evidence import EvidenceArchive
from core.models import Evidence
from core.settings import Settings
from pipelines.cli import app
from tests import dbutil, factories

runner = CliRunner()


def _evidence(session: Session, archive: EvidenceArchive, body: bytes) -> Evidence:
    sha, rel = archive.put(body)
    row = Evidence(sha256=sha, media_type="application/json", size=len(body), http_status=200, headers={},
                   stored_path=rel)
    session.add(row)
    session.flush()
    return row


def _seed(session: Session, archive: EvidenceArchive, n: int = 20) -> None:
    for i in range(n):
        ev = _evidence(session, archive, f'{{"post": {i}}}'.encode())
        item = factories.content(session, text=f"Ayo coblos nomor {i % 3 + 1}")
        item.evidence_id = ev.id
        audit.record(session, "crawler", "content.stored", object_type="content", object_id=item.id)
    factories.case(session)
    session.commit()


class Writer(threading.Thread):
    """A scan-like writer: content with its archived file and an audit event, committed one by one."""

    def __init__(self, engine: Engine, archive: EvidenceArchive) -> None:
        super().__init__(daemon=True)
        self.engine, self.archive = engine, archive
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        while not self.stop.is_set():
            with Session(self.engine) as session:
                ev = _evidence(session, self.archive, f'{{"live": {self.written}}}'.encode())
                item = factories.content(session)
                item.evidence_id = ev.id
                audit.record(session, "crawler", "content.stored", object_type="content", object_id=item.id)
                session.commit()
            self.written += 1
            time.sleep(0.005)


@pytest.fixture
def archive(settings: Settings) -> EvidenceArchive:
    return EvidenceArchive(settings.resolved_evidence_dir)


def _backup_under_load(settings: Settings, engine: Engine, archive: EvidenceArchive, out: Path) -> dict[str, object]:
    writer = Writer(engine, archive)
    writer.start()
    while writer.written < 5:
        time.sleep(0.01)
    try:
        manifest = backup.create(engine, settings.resolved_database_url, archive, out)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.written > 5  # writes went on around the backup
    return manifest


def test_backup_during_writes_restores_equal_counts_and_verifies(settings: Settings, engine: Engine, session: Session,
                                                                 archive: EvidenceArchive, tmp_path: Path) -> None:
    _seed(session, archive)
    manifest = _backup_under_load(settings, engine, archive, tmp_path / "netral.tar")
    target_url = dbutil.empty(tmp_path)
    target = make_engine(target_url)
    try:
        report = backup.restore(tmp_path / "netral.tar", target, target_url, EvidenceArchive(tmp_path / "restored"))
    finally:
        target.dispose()
        dbutil.drop(target_url)
    assert (report.counts, report.ok) == (manifest["counts"], True)


def test_every_file_the_backup_names_is_restored_with_its_hash(settings: Settings, engine: Engine, session: Session,
                                                               archive: EvidenceArchive, tmp_path: Path) -> None:
    _seed(session, archive, n=5)
    backup.create(engine, settings.resolved_database_url, archive, tmp_path / "b.tar")
    restored = EvidenceArchive(tmp_path / "restored")
    target_url = dbutil.empty(tmp_path)
    target = make_engine(target_url)
    try:
        backup.restore(tmp_path / "b.tar", target, target_url, restored)
        with Session(target) as s:
            rows = list(s.execute(select(Evidence.sha256, Evidence.stored_path)))
    finally:
        target.dispose()
        dbutil.drop(target_url)
    assert all(hashlib.sha256((restored.root / p).read_bytes()).hexdigest() == sha for sha, p in rows) and rows


def test_restore_refuses_a_database_that_is_not_empty(settings: Settings, engine: Engine, session: Session,
                                                      archive: EvidenceArchive, tmp_path: Path) -> None:
    _seed(session, archive, n=2)
    backup.create(engine, settings.resolved_database_url, archive, tmp_path / "b.tar")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(tmp_path / "b.tar", engine, settings.resolved_database_url, archive)


def test_a_tampered_backup_restores_nothing(settings: Settings, engine: Engine, session: Session,
                                            archive: EvidenceArchive, tmp_path: Path) -> None:
    _seed(session, archive, n=2)
    backup.create(engine, settings.resolved_database_url, archive, tmp_path / "b.tar")
    with tarfile.open(tmp_path / "b.tar") as src, tarfile.open(tmp_path / "bad.tar", "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member)
            if member.name.startswith("evidence/"):
                member.size = 5
                dst.addfile(member, io.BytesIO(b"evil!"))
            else:
                dst.addfile(member, data)
    target_url = dbutil.empty(tmp_path)
    target = make_engine(target_url)
    try:
        with pytest.raises(backup.BackupError, match="does not match its SHA-256"):
            backup.restore(tmp_path / "bad.tar", target, target_url, EvidenceArchive(tmp_path / "restored"))
        assert inspect(target).get_table_names() == []
    finally:
        target.dispose()
        dbutil.drop(target_url)


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for i in range(4):
        path = tmp_path / f"netral-2026120{i}-000000.tar"
        path.write_bytes(b"x")
        t = time.time() - 100 + i
        os.utime(path, (t, t))
    backup.prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.glob("*.tar")) == ["netral-20261202-000000.tar",
                                                              "netral-20261203-000000.tar"]


def test_cli_backup_then_restore_into_an_empty_database(db_url: str, session: Session, archive: EvidenceArchive,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _seed(session, archive, n=3)
    out = tmp_path / "cli.tar"
    assert runner.invoke(app, ["backup", "--out", str(out)]).exit_code == 0
    target_url = dbutil.empty(tmp_path)
    monkeypatch.setenv("NETRAL_DATABASE_URL", target_url)
    monkeypatch.setenv("NETRAL_EVIDENCE_DIR", str(tmp_path / "restored"))
    from core.settings import reset_settings

    reset_settings()
    try:
        result = runner.invoke(app, ["restore", str(out)])
        target = make_engine(target_url)
        with Session(target) as s:
            restored = s.scalar(select(func.count()).select_from(Evidence))
        target.dispose()
    finally:
        dbutil.drop(target_url)
    assert (result.exit_code, restored) == (0, 3), result.output
