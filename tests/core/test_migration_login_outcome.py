"""Revision 1200 turns login_attempt.success into outcome in place (and back on downgrade)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, insert, select

from core import migrate
from core.db import make_engine
from tests import dbutil

AT = datetime(2024, 10, 7, 1, 0, tzinfo=UTC)


@pytest.fixture
def old_db(tmp_path: Path) -> Iterator[str]:
    url = dbutil.empty(tmp_path)
    migrate.upgrade(url, "0500")
    engine = make_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        conn.execute(insert(meta.tables["login_attempt"]), [
            {"at": AT, "username": "sari", "client": "10.0.0.1", "success": False},
            {"at": AT, "username": "sari", "client": "10.0.0.1", "success": True}])
    engine.dispose()
    yield url
    dbutil.drop(url)


def _column(url: str, name: str) -> list[object]:
    engine = make_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    table = meta.tables["login_attempt"]
    with engine.connect() as conn:
        values = list(conn.scalars(select(table.c[name]).order_by(table.c.id)))
    engine.dispose()
    return values


def test_success_becomes_outcome(old_db: str) -> None:
    migrate.upgrade(old_db, "1200")
    assert _column(old_db, "outcome") == ["failure", "success"]


def test_downgrade_restores_success(old_db: str) -> None:
    migrate.upgrade(old_db, "1200")
    migrate.downgrade(old_db, "0500")
    assert _column(old_db, "success") == [False, True]
