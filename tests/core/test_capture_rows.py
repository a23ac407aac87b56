"""Capture identity: every request is its own ``evidence`` row, identical bodies share one file.

Before revision 0700 evidence was unique by SHA-256: the second of two requests with byte-identical
bodies (a boost list of one post and a favourites list of another, both holding the same one account)
reused the first request's row, so its interaction pointed at the wrong URL and time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core import migrate
from core.db import make_engine
from core.evidence import Capture, EvidenceArchive, captures_of, verify
from core.ingest.records import AccountRef, ContentRecord, InteractionRecord
from core.ingest.store import write_batch
from core.models import Evidence, Interaction
from tests import dbutil, factories

T = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)
BODY = b'[{"id": "7", "acct": "pegawai"}]'


def _like(post: str, kind: str, cap: Capture) -> InteractionRecord:
    target = ContentRecord("mastodon", post, text=f"kampanye {post}", author_id="camp")
    return InteractionRecord("mastodon", f"7 {kind} {post}", kind, AccountRef("7"), target=target, capture=cap)


def test_identical_bodies_of_two_lists_are_two_captures(session: Session, tmp_path: Path) -> None:
    factories.account(session, platform="mastodon", handle="pegawai", platform_id="7")
    session.commit()
    archive = EvidenceArchive(tmp_path)
    boosts = Capture(BODY, "https://m.test/api/v1/statuses/1/reblogged_by", 200, fetched_at=T)
    favs = Capture(BODY, "https://m.test/api/v1/statuses/2/favourited_by", 200, fetched_at=T + timedelta(seconds=1))
    archive.put(BODY)
    batch = [_like("1", "share", boosts), _like("2", "like", favs)]
    write_batch(session, archive, batch)
    write_batch(session, archive, batch)  # re-delivered: still one row per capture
    session.commit()
    urls = {i.native_id: session.get(Evidence, i.evidence_id).source_url  # type: ignore[union-attr]
            for i in session.scalars(select(Interaction))}
    assert urls == {"7 share 1": boosts.url, "7 like 2": favs.url}
    assert session.scalar(select(func.count()).select_from(Evidence)) == 2
    assert len({p for p in session.scalars(select(Evidence.stored_path))}) == 1
    assert verify(session, archive).checked == 1  # one file, checked once


def test_captures_of_an_interaction_name_their_own_request(session: Session, tmp_path: Path) -> None:
    factories.account(session, platform="mastodon", handle="pegawai", platform_id="7")
    session.commit()
    archive = EvidenceArchive(tmp_path)
    cap = Capture(BODY, "https://m.test/api/v1/statuses/3/favourited_by", 200, fetched_at=T)
    write_batch(session, archive, [_like("3", "like", cap)])
    session.commit()
    inter = session.scalars(select(Interaction)).one()
    rows = captures_of(session, [inter.evidence_id])  # type: ignore[list-item]
    assert [(r.source_url, r.sha256) for r in rows] == [(cap.url, cap.sha256)]


def test_migration_keeps_existing_evidence_and_frees_the_hash(tmp_path: Path) -> None:
    url = dbutil.empty(tmp_path)
    try:
        migrate.upgrade(url, "0101")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO evidence (sha256, media_type, size, fetched_at, source_url, http_status, headers, "
                "stored_path) VALUES ('" + "ab" * 32 + "', 'application/json', 3, CURRENT_TIMESTAMP, "
                "'https://m.test/a', 200, '{}', 'ab/ab/x')"))
        migrate.upgrade(url)
        with engine.begin() as conn:
            key = conn.execute(text("SELECT capture_key FROM evidence")).scalar_one()
            conn.execute(text(
                "INSERT INTO evidence (capture_key, sha256, media_type, size, fetched_at, source_url, http_status, "
                "headers, stored_path) VALUES ('" + "cd" * 32 + "', '" + "ab" * 32 + "', 'application/json', 3, "
                "CURRENT_TIMESTAMP, 'https://m.test/b', 200, '{}', 'ab/ab/x')"))
            count = conn.execute(text("SELECT count(*) FROM evidence WHERE sha256 = '" + "ab" * 32 + "'")).scalar()
        assert (len(key), count) == (64, 2)
        migrate.downgrade(url, "0101")  # two captures of one body become the oldest one again
        with engine.connect() as conn:
            assert conn.execute(text("SELECT source_url FROM evidence")).scalars().all() == ["https://m.test/a"]
        engine.dispose()
    finally:
        dbutil.drop(url)
