"""The migrations own the schema: they go up and down, and they agree with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from core import migrate
from core.db import make_engine
from tests import dbutil


def test_there_is_exactly_one_head() -> None:
    assert len(migrate.heads()) == 1, migrate.heads()


def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    assert migrate.schema_drift(engine) == []


def test_up_down_up(tmp_path: Path) -> None:
    url = dbutil.empty(tmp_path)
    try:
        migrate.upgrade(url)
        engine = make_engine(url)
        assert migrate.current(engine) in migrate.heads()
        assert "employee" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM violation_type")).scalar() == 18
        migrate.downgrade(url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(url)
        assert migrate.current(engine) in migrate.heads()
        engine.dispose()
    finally:
        dbutil.drop(url)


def test_violation_reference_table_is_seeded(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT code, social_media FROM violation_type")).all())
    assert {"KE-4", "HD-6", "KE-2", "HD-2", "KE-5", "HD-7"} <= {c for c, social in rows.items() if social}
    assert len([c for c in rows if c.startswith("KE-")]) == 7
    assert len([c for c in rows if c.startswith("HD-")]) == 11


def test_audit_table_refuses_update_and_delete(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_event (at, actor, action, details, prev_hash, hash) "
            "VALUES (CURRENT_TIMESTAMP, 'a', 'x', '{}', 'p', 'h')"))
    for statement in ("UPDATE audit_event SET actor = 'b'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
