"""Shared fixtures: real databases built by the migrations, the settings, and tool requirements.

- ``db_url``: a fresh migrated database for this test (a clone of a template), also exported as
  ``NETRAL_DATABASE_URL`` so code that reads the settings (CLI, web app, flows) uses it.
- ``engine`` / ``session``: SQLAlchemy objects on that database.
- ``require_tool(name)``: skip when an external tool (chromium, node, tesseract...) is missing on a
  developer's machine, but FAIL when ``NETRAL_TEST_STRICT=1`` (set by ``.ci/run``), so CI never goes
  green by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db import make_engine, make_session_factory
from core.settings import Settings, reset_settings
from tests import dbutil


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = dbutil.create_template(tmp_path_factory.mktemp("dbtpl"))
    yield url
    dbutil.drop(url)


@pytest.fixture
def db_url(db_template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = dbutil.clone(db_template, tmp_path)
    monkeypatch.setenv("NETRAL_DATABASE_URL", url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "var"))
    reset_settings()
    yield url
    reset_settings()
    dbutil.drop(url)


@pytest.fixture
def settings(db_url: str) -> Settings:
    from core.settings import get_settings

    return get_settings()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    factory = make_session_factory(engine)
    with factory() as s:
        yield s
        s.rollback()


def tool_missing(reason: str) -> None:
    """Skip locally, fail in CI (NETRAL_TEST_STRICT=1)."""
    if os.environ.get("NETRAL_TEST_STRICT") == "1":
        pytest.fail(f"required for this test in CI: {reason}")
    pytest.skip(reason)


def require_tool(name: str, path: str | None = None) -> str:
    """The path of executable ``name`` (or ``path`` if it exists), or skip/fail as above."""
    found = path if path and Path(path).exists() else shutil.which(name)
    if not found:
        tool_missing(f"{name} is not installed")
    assert found is not None
    return found
