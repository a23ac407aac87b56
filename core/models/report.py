"""Reports: evidence from closed platforms (WhatsApp, Instagram, TikTok, Facebook profiles) sent in by hand.

A report is its own noun rather than an interaction: nobody crawled it, the employee may have no
declared account on that platform (a WhatsApp group), and it carries what a crawl never has — who
reported it, a note, the screenshots and their OCR text, and whether the URL could be fetched. Its
text lives in an ordinary :class:`ContentItem` of kind ``report`` (``content_id``), so classification
and cases treat it like any other content; ``employee_id`` is the link to the person concerned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, UTCDateTime, utcnow
from core.models.content import ContentItem, Evidence
from core.models.roster import Employee


class Report(Base):
    """One report about one employee; ``url_status`` is ``fetched``, ``unreachable`` or ``none``."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("content_item.id", ondelete="CASCADE"), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    url_status: Mapped[str] = mapped_column(String(16), default="none")
    url_error: Mapped[str | None] = mapped_column(Text)
    page_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str] = mapped_column(String(100))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    employee: Mapped[Employee] = relationship()
    content: Mapped[ContentItem] = relationship()
    page_evidence: Mapped[Evidence | None] = relationship()
    files: Mapped[list[ReportFile]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                   order_by="ReportFile.position")


class ReportFile(Base):
    """A screenshot (or other file) attached to a report, archived as evidence, with its OCR text."""

    __tablename__ = "report_file"
    __table_args__ = (UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    ocr_text: Mapped[str] = mapped_column(Text, default="")
    ocr_lang: Mapped[str | None] = mapped_column(String(32))

    report: Mapped[Report] = relationship(back_populates="files")
    evidence: Mapped[Evidence] = relationship()
