"""Bookkeeping of the nightly scan: one row per run, and one assessment per interaction and model.

An :class:`Assessment` records that an interaction was judged by a given model version, whatever the
outcome, so a rerun of the same night skips it (idempotent) and a new model version re-judges it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime, utcnow


class ScanRun(Base):
    """One nightly scan: parameters, outcome and the per-platform summary."""

    __tablename__ = "scan_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id", ondelete="SET NULL"), index=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Assessment(Base):
    """The rule assessment of one interaction by one model version (candidate codes, never a sanction).

    A flagged interaction names the incident it joined and that incident's case."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("interaction_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(64))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    elements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    quiet_period: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="SET NULL"), index=True)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
