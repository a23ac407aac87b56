"""Review-UI accounts, their login sessions and the login attempts that throttling counts.

Roles (see :class:`Role`): ``admin`` manages accounts and may do everything a reviewer does;
``reviewer`` (BKPSDM) triages and decides cases; ``desk`` (Desk Pilkada) sees aggregates only;
``auditor`` reads cases and the audit log and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, TimestampMixin, UTCDateTime, utcnow


class Role(StrEnum):
    """What a review-UI account may do."""

    ADMIN = "admin"
    REVIEWER = "reviewer"
    DESK = "desk"
    AUDITOR = "auditor"


class User(TimestampMixin, Base):
    """A person who logs in to the review UI; the password is stored only as an argon2 hash."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unit: Mapped[str | None] = mapped_column(String(200))  # roster unit the reviewer works in (recusal)


class UserSession(Base):
    """A login session; the cookie holds a random token, the table only its SHA-256 (a leak is useless)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    user: Mapped[User] = relationship()


class LoginOutcome(StrEnum):
    """What became of one row of :class:`LoginAttempt`."""

    SUCCESS = "success"        # the password was right and the account active
    FAILURE = "failure"        # the password was checked and wrong (or the account unknown/inactive)
    THROTTLED = "throttled"    # refused before the password was checked; never counts as a failure
    UNLOCK = "unlock"          # an administrator cleared the throttle of ``username`` (client ``*``)


class LoginAttempt(Base):
    """One login attempt (or an unlock marker), kept so that repeated failures per (username, address) and
    per address can be slowed down; see :mod:`core.login_throttle`."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_pair", "username", "client", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16), default=LoginOutcome.FAILURE)
