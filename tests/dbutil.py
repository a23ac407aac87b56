"""Create throw-away databases for tests: SQLite files or PostgreSQL databases cloned from a template.

The schema is always built by the migrations (never ``create_all``). Set ``NETRAL_TEST_DATABASE_URL``
to a PostgreSQL server URL (e.g. ``postgresql+psycopg://postgres@127.0.0.1:54329/postgres``) to run
the suite on PostgreSQL; otherwise SQLite files in a temporary directory are used.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import migrate

TEST_DB_ENV = "NETRAL_TEST_DATABASE_URL"


def server_url() -> str | None:
    """The PostgreSQL server the tests should use, or None for SQLite."""
    return os.environ.get(TEST_DB_ENV) or None


def _admin(url: str):  # type: ignore[no-untyped-def]
    return create_engine(url, isolation_level="AUTOCOMMIT")


def create_template(workdir: Path) -> str:
    """A migrated database that others are cloned from; returns its URL."""
    base = server_url()
    if base is None:
        path = workdir / "template.db"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        return url
    name = f"netral_tpl_{uuid.uuid4().hex[:10]}"
    admin = _admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def clone(template_url: str, workdir: Path) -> str:
    """A fresh copy of the template database."""
    tpl = make_url(template_url)
    if tpl.get_backend_name() == "sqlite":
        target = workdir / f"db_{uuid.uuid4().hex[:10]}.db"
        shutil.copyfile(str(tpl.database), target)
        return f"sqlite:///{target}"
    base = server_url()
    assert base is not None
    name = f"netral_t_{uuid.uuid4().hex[:10]}"
    admin = _admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{tpl.database}"'))
    admin.dispose()
    return tpl.set(database=name).render_as_string(hide_password=False)


def empty(workdir: Path) -> str:
    """A database with no tables at all (for migration tests)."""
    base = server_url()
    if base is None:
        return f"sqlite:///{workdir / f'empty_{uuid.uuid4().hex[:10]}.db'}"
    name = f"netral_e_{uuid.uuid4().hex[:10]}"
    admin = _admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop(url: str) -> None:
    """Remove a database made by this module (PostgreSQL only; SQLite files go with the tmp dir)."""
    parsed = make_url(url)
    base = server_url()
    if parsed.get_backend_name() == "sqlite" or base is None:
        return
    admin = _admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()
