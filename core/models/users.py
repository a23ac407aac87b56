"""Review-UI accounts, their login sessions and the login attempts that throttling counts.

Roles (see :class:`Role`): ``admin`` manages accounts and may do everything a reviewer does;
``reviewer`` (BKPSDM) triages and decides cases; ``desk`` (Desk Pilkada) sees aggregates only;
``auditor`` reads cases and the audit log and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String
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


class UserSession(Base):
    """A login session; the cookie holds a random token, the table only its SHA-256 (a leak is useless)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One login attempt, kept so that repeated failures per username or address can be refused."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean, default=False)
