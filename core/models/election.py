"""The election registry: elections, candidate pairs and their official campaign accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, TimestampMixin


class Election(TimestampMixin, Base):
    """One election (a Pilkada) with its stage calendar, in its own time zone."""

    __tablename__ = "election"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    candidates_fixed: Mapped[date | None] = mapped_column(Date)
    campaign_start: Mapped[date | None] = mapped_column(Date)
    campaign_end: Mapped[date | None] = mapped_column(Date)
    quiet_start: Mapped[date | None] = mapped_column(Date)
    quiet_end: Mapped[date | None] = mapped_column(Date)
    voting_day: Mapped[date | None] = mapped_column(Date)
    calendar: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    pairs: Mapped[list[CandidatePair]] = relationship(
        back_populates="election", cascade="all, delete-orphan", order_by="CandidatePair.number"
    )


class CandidatePair(TimestampMixin, Base):
    """A candidate pair (paslon) with its ballot number and the words that name it."""

    __tablename__ = "candidate_pair"
    __table_args__ = (UniqueConstraint("election_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    candidate: Mapped[str] = mapped_column(String(200))
    running_mate: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hashtags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parties: Mapped[list[Any]] = mapped_column(JSON, default=list)

    election: Mapped[Election] = relationship(back_populates="pairs")
    accounts: Mapped[list[CampaignAccount]] = relationship(
        back_populates="pair", cascade="all, delete-orphan", order_by="CampaignAccount.platform"
    )


class CampaignAccount(TimestampMixin, Base):
    """An official campaign account registered with KPU for a pair (up to 20 per platform)."""

    __tablename__ = "campaign_account"
    __table_args__ = (UniqueConstraint("pair_id", "platform", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("candidate_pair.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(255))
    platform_id: Mapped[str | None] = mapped_column(String(255))

    pair: Mapped[CandidatePair] = relationship(back_populates="accounts")
