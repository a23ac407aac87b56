"""Cases: a lead about one employee and one target, and its due-process history.

A case is opened for one employee per target (``target_key``: a content item, or an account for a
follow); repeated interactions with the same target attach to the same case through
:class:`CaseInteraction`. The status vocabulary is :class:`core.models.enums.CaseStatus`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from core.models.content import ContentItem, Interaction
from core.models.roster import Employee


class Case(TimestampMixin, Base):
    """A lead for human review; it never carries a sanction chosen by the software."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("employee_id", "target_key"),
        Index("ix_case_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id", ondelete="SET NULL"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    target_key: Mapped[str] = mapped_column(String(600))
    target_content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), default="detected")
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    score: Mapped[float | None] = mapped_column(Float)
    pair_number: Mapped[int | None] = mapped_column(Integer)
    stance: Mapped[str | None] = mapped_column(String(16))
    model_version: Mapped[str | None] = mapped_column(String(64))
    candidate_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rule_elements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    employee: Mapped[Employee] = relationship()
    target_content: Mapped[ContentItem | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    links: Mapped[list[CaseInteraction]] = relationship(back_populates="case", cascade="all, delete-orphan")


class CaseInteraction(Base):
    """Attaches an interaction to its case (one case, many repeated interactions)."""

    __tablename__ = "case_interaction"
    __table_args__ = (UniqueConstraint("case_id", "interaction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="links")
    interaction: Mapped[Interaction] = relationship()


class CaseEvent(Base):
    """One step in a case's history: a state change, a decision, a note, a reference number."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
