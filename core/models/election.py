"""The election registry: a Pilkada, its contests, their candidate pairs and official campaign accounts.

A Pilkada (``Election``) is one voting day with one calendar in one time zone; it holds one or more
contests (the province's governor race, the regency's regent or the city's mayor race). Ballot numbers
repeat across contests, so a pair is identified by its contest and number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, TimestampMixin


class Election(TimestampMixin, Base):
    """One Pilkada with its stage calendar, in its own time zone; ``active`` ones are scanned nightly."""

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
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    contests: Mapped[list[Contest]] = relationship(
        back_populates="election", cascade="all, delete-orphan", order_by="Contest.position"
    )
    pairs: Mapped[list[CandidatePair]] = relationship(
        back_populates="election", viewonly=True, order_by="(CandidatePair.contest_id, CandidatePair.number)"
    )


class Contest(TimestampMixin, Base):
    """One contest of a Pilkada: ``kind`` is pilgub, pilbup or pilwalkot; ``position`` the file's order."""

    __tablename__ = "contest"
    __table_args__ = (UniqueConstraint("election_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    election: Mapped[Election] = relationship(back_populates="contests")
    pairs: Mapped[list[CandidatePair]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="CandidatePair.number"
    )


class CandidatePair(TimestampMixin, Base):
    """A candidate pair (paslon) of one contest with its ballot number and the words that name it.

    ``election_id`` repeats the contest's Pilkada so that registry queries need no extra join."""

    __tablename__ = "candidate_pair"
    __table_args__ = (UniqueConstraint("contest_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), index=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    candidate: Mapped[str] = mapped_column(String(200))
    running_mate: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hashtags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parties: Mapped[list[Any]] = mapped_column(JSON, default=list)

    election: Mapped[Election] = relationship(back_populates="pairs", viewonly=True)
    contest: Mapped[Contest] = relationship(back_populates="pairs")
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
