"""Portable bulk upserts: ``INSERT ... ON CONFLICT`` on SQLite and PostgreSQL alike.

Batching matters: a crawl stores thousands of rows a second only when each batch is a few
multi-row statements, not one ORM flush per object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

#: Rows per statement / names per ``IN (...)``: under SQLite's and PostgreSQL's parameter limits.
CHUNK = 400


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` in slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def insert_for(session: Session, table: Table) -> Insert:
    """The dialect's ``INSERT`` construct (the one with ``on_conflict_do_*``)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert(session: Session, table: Table, rows: list[dict[str, Any]], keys: list[str],
           update: dict[str, Any] | None = None) -> None:
    """Insert ``rows``; on a conflict of ``keys`` apply ``update`` (a function of the stmt) or do nothing.

    ``update`` maps column names to callables ``f(stmt) -> expression`` so the expression can refer to
    ``stmt.excluded`` (the row that was proposed).

    Rows go in sorted by their key: two crawl shards storing overlapping batches at once (the same
    campaign video seen by both) then lock the shared rows in the same order and wait for each other
    instead of deadlocking (seen on PostgreSQL in the nightly-scan benchmark before the sort).
    """
    if not rows:
        return
    rows = sorted(rows, key=lambda row: tuple(str(row[k]) for k in keys))
    for part in chunks(rows):
        stmt = insert_for(session, table)
        if update:
            stmt = stmt.on_conflict_do_update(  # type: ignore[attr-defined]
                index_elements=keys, set_={k: f(stmt) for k, f in update.items()})
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=keys)  # type: ignore[attr-defined]
        session.execute(stmt, list(part))


def lookup_ids(session: Session, table: Table, column: str, values: Iterable[Any],
               **fixed: Any) -> dict[Any, int]:
    """``{value: id}`` for rows of ``table`` whose ``column`` is in ``values`` and other columns equal ``fixed``.

    (Natural keys here are ``(platform, native_id)``-like: one varying column under fixed ones; this
    avoids row-value ``IN`` lists, which SQLite does not accept.)
    """
    wanted = list(dict.fromkeys(values))
    found: dict[Any, int] = {}
    col = table.c[column]
    for part in chunks(wanted):
        stmt = select(table.c.id, col).where(col.in_(list(part)))
        for name, value in fixed.items():
            stmt = stmt.where(table.c[name] == value)
        for row_id, value in session.execute(stmt):
            found[value] = row_id
    return found
