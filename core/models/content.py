"""Collected material: evidence files, content items, interactions and their classifications.

Natural unique keys (platform + native id, sha256, content + model version) make a crawler's
re-delivery harmless: storing the same thing twice is an upsert, never a duplicate.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, UTCDateTime, utcnow


class Evidence(Base):
    """One capture: a request's URL, time, status and safe headers, pointing at its file by SHA-256.

    The file store is content-addressed (identical bodies are one file), the rows are not: every request
    is its own row (``capture_key``, see :attr:`core.evidence.Capture.key`), so an interaction's evidence
    is the request that showed it, never another request that happened to return the same bytes.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: a row built by hand (not from a :class:`~core.evidence.Capture`) is a capture of its own
    capture_key: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_hex(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source_url: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stored_path: Mapped[str] = mapped_column(String(512))


class ContentItem(Base):
    """A public post, comment, video or report, whoever wrote it (an employee or a campaign account)."""

    __tablename__ = "content_item"
    __table_args__ = (
        UniqueConstraint("platform", "native_id"),
        Index("ix_content_item_platform_author_id", "platform", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    native_id: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16), default="post")
    url: Mapped[str | None] = mapped_column(Text)
    author_handle: Mapped[str | None] = mapped_column(String(255))
    author_id: Mapped[str | None] = mapped_column(String(255))
    author_name: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    parent_native_id: Mapped[str | None] = mapped_column(String(512))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"), index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    evidence: Mapped[Evidence | None] = relationship()

    @property
    def deleted(self) -> bool:
        """Whether the content disappeared from the platform since it was collected."""
        return self.deleted_at is not None


class Interaction(Base):
    """What a registered account did: posted, shared, quoted, commented on, liked or followed.

    Both ends are kept: the actor (a registered account) and the target content (or target account for
    a follow). For a comment or quote, ``own_content_id`` is the actor's own text.
    """

    __tablename__ = "interaction"
    __table_args__ = (UniqueConstraint("platform", "native_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    native_id: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16))
    actor_account_id: Mapped[int] = mapped_column(
        ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    target_content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    own_content_id: Mapped[int | None] = mapped_column(ForeignKey("content_item.id", ondelete="SET NULL"))
    target_account: Mapped[str | None] = mapped_column(String(255))
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"), index=True)

    target_content: Mapped[ContentItem | None] = relationship(foreign_keys=[target_content_id])
    own_content: Mapped[ContentItem | None] = relationship(foreign_keys=[own_content_id])
    evidence: Mapped[Evidence | None] = relationship()


class Classification(Base):
    """The classifier's verdict on one content item by one model version (kept for every version).

    ``contest`` is the slug of the contest of ``pair_number`` when the text tells it."""

    __tablename__ = "classification"
    __table_args__ = (UniqueConstraint("content_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("content_item.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    campaign: Mapped[bool] = mapped_column(Boolean)
    pair_number: Mapped[int | None] = mapped_column(Integer)
    contest: Mapped[str | None] = mapped_column(String(100))
    stance: Mapped[str] = mapped_column(String(16), default="none")
    uncertainty: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
