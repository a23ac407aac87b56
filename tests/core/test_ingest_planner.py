"""Planner statistics during a crawl: PostgreSQL analyses the collection tables each time they doubled."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.ingest.planner import PlannerStatistics
from tests import factories


def _reltuples(session: Session) -> float:
    return float(session.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'content_item'")).scalar_one())


def test_analyses_when_the_tables_doubled_and_only_then(session: Session) -> None:
    planner = PlannerStatistics(floor=30)
    postgres = session.get_bind().dialect.name == "postgresql"
    for _ in range(20):
        factories.content(session)
    session.commit()
    assert planner.after_batch(session, 20) is False  # under the floor
    for _ in range(20):
        factories.content(session)
    session.commit()
    assert planner.after_batch(session, 20) is postgres  # 40 ≥ floor: analysed (PostgreSQL only)
    if not postgres:
        return
    assert _reltuples(session) == 40 and planner.known_rows == 40 and planner.analyses == 1
    assert planner.after_batch(session, 35) is False  # the tables have not doubled since (75 < 80)
    assert planner.after_batch(session, 10) is True  # now they have
    assert planner.analyses == 2
