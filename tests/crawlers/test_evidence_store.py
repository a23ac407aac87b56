"""The evidence archive and the idempotent batch store (``core.evidence``, ``core.ingest.store``).

They are the contract every spider writes through; ``netral evidence verify`` must name a file that
was altered or removed after capture.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.evidence import Capture, EvidenceArchive, redact_url, safe_headers, verify
from core.ingest.records import (
    AccountIdRecord,
    AccountRef,
    ContentRecord,
    CrawlErrorRecord,
    CursorRecord,
    DeletionRecord,
    InteractionRecord,
    Record,
)
from core.ingest.store import write_batch
from core.models import ContentItem, CrawlCursor, CrawlError, Evidence, Interaction, SocialAccount
from pipelines.cli import app
from tests import factories

T = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)


def capture(body: bytes, url: str = "https://api.example.org/x?key=SECRET&page=2") -> Capture:
    return Capture(body=body, url=url, status=200, media_type="application/json",
                   headers={"Content-Type": "application/json", "Set-Cookie": "session=abc",
                            "Authorization": "Bearer SECRET", "X-RateLimit-Remaining": "99"})


def test_redaction_and_safe_headers() -> None:
    assert redact_url("https://u:pw@h.example.org/p?key=K&q=1&access_token=T") == \
        "https://REDACTED@h.example.org/p?key=REDACTED&q=1&access_token=REDACTED"
    assert safe_headers({"Set-Cookie": "a", "Authorization": "b", "ETag": "e"}) == {"etag": "e"}


def test_archive_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    archive = EvidenceArchive(tmp_path)
    sha, rel = archive.put(b"halo")
    assert archive.put(b"halo") == (sha, rel)
    assert rel == f"{sha[:2]}/{sha[2:4]}/{sha}" and archive.read(sha) == b"halo"
    assert archive.rehash(rel) == sha and archive.rehash("00/00/missing") is None


def _post(native_id: str, cap: Capture, **kw: object) -> ContentRecord:
    values: dict[str, object] = {"platform": "bluesky", "native_id": native_id, "text": f"teks {native_id}",
                                 "author_id": "did:plc:camp", "url": f"https://bsky.test/{native_id}",
                                 "created_at": T, "capture": cap}
    values.update(kw)
    return ContentRecord(**values)  # type: ignore[arg-type]


def test_write_batch_is_idempotent_and_keeps_both_ends(session: Session, tmp_path: Path) -> None:
    acc = factories.account(session, platform="bluesky", handle="pegawai.test")
    session.commit()
    archive = EvidenceArchive(tmp_path)
    cap = capture(b'{"page": 1}')
    archive.put(cap.body)
    target = _post("at://camp/post/1", cap, extra={"campaign": {"pair": 1}})
    batch: list[Record] = [
        AccountIdRecord("bluesky", "pegawai.test", "did:plc:pegawai"),
        InteractionRecord("bluesky", "did:plc:pegawai like at://camp/post/1", "like",
                          AccountRef("did:plc:pegawai"), target=target, occurred_at=T, capture=cap),
        InteractionRecord("bluesky", "did:plc:stranger like at://camp/post/1", "like",
                          AccountRef("did:plc:stranger", "stranger.test"), target=target, capture=cap),
        CrawlErrorRecord("bluesky", "malformed", "cut off", "https://api.example.org/y?access_token=SECRET", cap),
        CursorRecord("bluesky", "did:plc:pegawai", "app.bsky.feed.like", "3k2"),
    ]
    first = write_batch(session, archive, batch)
    session.commit()
    assert first.skipped_actors == 1  # the stranger is not a registered account
    for _ in range(2):  # re-delivery changes nothing
        write_batch(session, archive, batch[:2] + batch[4:])
        session.commit()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Interaction)) == 1
    assert session.scalar(select(func.count()).select_from(ContentItem)) == 1
    assert session.scalar(select(func.count()).select_from(Evidence)) == 1
    inter = session.scalars(select(Interaction)).one()
    assert inter.actor_account_id == acc.id and inter.target_content is not None
    assert inter.target_content.text == "teks at://camp/post/1" and inter.evidence_id is not None
    assert session.get(SocialAccount, acc.id).platform_id == "did:plc:pegawai"  # type: ignore[union-attr]
    evidence = session.scalars(select(Evidence)).one()
    assert evidence.source_url == "https://api.example.org/x?key=REDACTED&page=2"
    assert evidence.headers == {"content-type": "application/json", "x-ratelimit-remaining": "99"}
    error = session.scalars(select(CrawlError)).one()
    assert error.url == "https://api.example.org/y?access_token=REDACTED" and error.evidence_id == evidence.id
    assert session.scalars(select(CrawlCursor.value)).one() == "3k2"

    # a stub never overwrites what is known; a fuller view merges its extra; a deletion keeps the row
    stub = ContentRecord("bluesky", "at://camp/post/1", stub=True, extra={"unavailable": True})
    write_batch(session, archive, [stub, _post("at://camp/post/1", cap, extra={"cid": "bafy"})])
    write_batch(session, archive, [DeletionRecord("bluesky", "at://camp/post/1")])
    session.commit()
    session.expire_all()
    row = session.scalars(select(ContentItem)).one()
    assert row.text == "teks at://camp/post/1" and row.extra == {"campaign": {"pair": 1}, "cid": "bafy"}
    assert row.deleted_at is not None and row.evidence_id == evidence.id

    # a withdrawn like is marked deleted; seen again later (an AppView that lagged), it is live again
    withdrawn = batch[1]
    assert isinstance(withdrawn, InteractionRecord)
    write_batch(session, archive, [DeletionRecord("bluesky", withdrawn.native_id, "interaction")])
    session.commit()
    session.expire_all()
    assert session.scalars(select(Interaction)).one().deleted_at is not None
    write_batch(session, archive, batch[1:2])
    session.commit()
    session.expire_all()
    assert session.scalars(select(Interaction)).one().deleted_at is None


def test_evidence_verify_reports_tampered_and_missing_files(session: Session, settings: object,
                                                            tmp_path: Path) -> None:
    archive = EvidenceArchive(tmp_path / "var" / "evidence")
    caps = [capture(b'{"a": 1}'), capture(b'{"b": 2}'), capture(b'{"c": 3}')]
    for cap in caps:
        archive.put(cap.body)
    write_batch(session, archive, [_post(f"at://x/post/{i}", cap) for i, cap in enumerate(caps)])
    session.commit()
    runner = CliRunner()

    result = runner.invoke(app, ["evidence", "verify"])
    assert result.exit_code == 0, result.output
    assert "3 files verified" in result.output

    archive.path(caps[0].sha256).write_bytes(b'{"a": 2}')  # tampered
    archive.path(caps[1].sha256).unlink()  # removed
    report = verify(session, archive)
    assert sorted((p.sha256, p.reason.split(":")[0]) for p in report.problems) == sorted([
        (caps[0].sha256, "hash mismatch"), (caps[1].sha256, "missing")])
    result = runner.invoke(app, ["evidence", "verify"])
    assert result.exit_code == 1
    assert archive.relative_path(caps[0].sha256) in result.output and "hash mismatch" in result.output
    assert "missing" in result.output and "2 of 3" in result.output


def test_evidence_verify_lists_and_removes_unreferenced_files(session: Session, settings: object,
                                                              tmp_path: Path) -> None:
    archive = EvidenceArchive(tmp_path / "var" / "evidence")
    named, left, fresh = capture(b'{"a": 1}'), capture(b'{"left": 1}'), capture(b'{"fresh": 1}')
    for cap in (named, left, fresh):
        archive.put(cap.body)
    write_batch(session, archive, [_post("at://x/post/1", named)])
    session.commit()
    hour_ago = time.time() - 2 * 3600
    for cap in (named, left):  # ``fresh`` may still be waiting for its batch to commit: not listed
        os.utime(archive.path(cap.sha256), (hour_ago, hour_ago))
    assert verify(session, archive).unreferenced == [archive.relative_path(left.sha256)]
    runner = CliRunner()
    result = runner.invoke(app, ["evidence", "verify"])
    assert result.exit_code == 0, result.output  # unreferenced files fail nothing
    assert "1 unreferenced files" in result.output and archive.relative_path(left.sha256) in result.output
    assert archive.path(left.sha256).exists()
    result = runner.invoke(app, ["evidence", "verify", "--remove-unreferenced"])
    assert result.exit_code == 0 and "removed" in result.output
    assert not archive.path(left.sha256).exists()
    assert archive.path(named.sha256).exists() and archive.path(fresh.sha256).exists()
    assert verify(session, archive).unreferenced == []
