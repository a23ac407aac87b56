"""The roster: employees and the social accounts they declared."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, TimestampMixin, UTCDateTime


class Employee(TimestampMixin, Base):
    """An ASN (PNS, PPPK) or contract employee of the regency.

    ``id_number`` is the NIP (PNS), NI PPPK (PPPK) or a local staff number / NIK (contract staff); the
    fields parsed from it are kept for checks, never printed in aggregate reports.
    """

    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    appointment: Mapped[str | None] = mapped_column(String(8))
    gender: Mapped[str | None] = mapped_column(String(1))

    accounts: Mapped[list[SocialAccount]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", order_by="SocialAccount.platform"
    )


class SocialAccount(TimestampMixin, Base):
    """A social-media account an employee declared; only these are watched.

    ``handle`` is stored normalised (lower case, no leading ``@``); ``platform_id`` is the stable id the
    platform gives (a DID on Bluesky, a numeric id elsewhere) once a crawler resolved it.
    """

    __tablename__ = "social_account"
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        Index("ix_social_account_platform_platform_id", "platform", "platform_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(255))
    platform_id: Mapped[str | None] = mapped_column(String(255))
    declared_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    employee: Mapped[Employee] = relationship(back_populates="accounts")
