"""The append-only audit log (hash-chained) and the violation reference table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, TimestampMixin, UTCDateTime, utcnow


class AuditEvent(Base):
    """One audited act (a decision, a view or export of personal data, an import, a purge).

    Rows are never updated or deleted (database triggers refuse it); each row stores the hash of the
    previous one, so :func:`core.audit.verify_chain` detects any tampering.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # 1: plain SHA-256 (rows written before the keyed chain); 2: HMAC-SHA256 with the installation key
    scheme: Mapped[int] = mapped_column(Integer, default=2, server_default="1")


class ViolationType(TimestampMixin, Base):
    """A row of the SKB 2022 annex (domain.md §2), kept as editable reference data.

    ``level`` is the sanction category the annex names; the software shows it, never applies it.
    """

    __tablename__ = "violation_type"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    track: Mapped[str] = mapped_column(String(16))
    conduct: Mapped[str] = mapped_column(Text)
    conduct_en: Mapped[str] = mapped_column(Text)
    social_media: Mapped[bool] = mapped_column(Boolean, default=False)
    level: Mapped[str] = mapped_column(String(32))
    unconfirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    paired_code: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Where the row comes from (the SKB 2022 annex list; for discipline also PP 94/2021 Pasal 8).
    source: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The sanction ``level`` in words (for discipline the PP 94/2021 level): shown, never applied.
    sanction: Mapped[str] = mapped_column(Text, default="", server_default="")
