"""The Desk Pilkada's evaluation report (domain.md §4): sections, entries, attachments, case annex, exports.

Named ``desk_*`` because ``report`` already means a closed-platform report (:mod:`core.models.report`).
A report is a draft until it is finalised; finalising stores ``snapshot`` (the whole content as it was
exported) and the exports' hashes, and the report is never edited again — a correction is a new report
whose ``supersedes_id`` points at it. Sections and entries carry a ``version`` that every save must name
(the mapper's version counter), so a second concurrent save of the same thing is refused, not merged.
Section 9 (ASN neutrality) has no stored text: it is computed from the cases at export time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from core.models.content import Evidence


class DeskReport(TimestampMixin, Base):
    """One evaluation report of one election over one period; ``status`` is ``draft`` or ``final``."""

    __tablename__ = "desk_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("desk_report.id", ondelete="RESTRICT"))
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    chair_nip: Mapped[str] = mapped_column(String(32), default="")
    sign_place: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_by: Mapped[str | None] = mapped_column(String(100))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    sections: Mapped[list[DeskSection]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="DeskSection.number")
    cases: Mapped[list[DeskReportCase]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="DeskReportCase.case_id")
    exports: Mapped[list[DeskExport]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="DeskExport.id")


class DeskSection(Base):
    """One of the ten sections: its paragraphs (blank-line separated) and its entries."""

    __tablename__ = "desk_section"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("desk_report.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    report: Mapped[DeskReport] = relationship(back_populates="sections")
    entries: Mapped[list[DeskEntry]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="DeskEntry.position")


class DeskEntry(Base):
    """A structured activity: what, when, where, who, the indicators measured, problems and solutions.

    ``indicators`` is a list of ``{"name", "value", "unit"}``; ``status`` is used by section 8 (a stage's
    monitoring status), ``stage_key`` names the calendar stage an entry of section 8 was pre-filled from.
    """

    __tablename__ = "desk_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("desk_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(String(300))
    on_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")
    indicators: Mapped[list[Any]] = mapped_column(JSON, default=list)
    problems: Mapped[str] = mapped_column(Text, default="")
    solutions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), default="")
    stage_key: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    section: Mapped[DeskSection] = relationship(back_populates="entries")
    attachments: Mapped[list[DeskAttachment]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="DeskAttachment.id")


class DeskAttachment(Base):
    """A PDF, JPEG or PNG attached to an entry, its bytes in the evidence archive."""

    __tablename__ = "desk_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("desk_entry.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[DeskEntry] = relationship(back_populates="attachments")
    evidence: Mapped[Evidence] = relationship()


class DeskReportCase(Base):
    """A confirmed case put in a report's case annex ("Tambahkan ke laporan")."""

    __tablename__ = "desk_report_case"
    __table_args__ = (UniqueConstraint("report_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("desk_report.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[DeskReport] = relationship(back_populates="cases")


class DeskExport(Base):
    """One export file of a report, archived; ``frozen`` marks the exports kept with a final report."""

    __tablename__ = "desk_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("desk_report.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(8))
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="RESTRICT"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    made_by: Mapped[str] = mapped_column(String(100))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[DeskReport] = relationship(back_populates="exports")
    evidence: Mapped[Evidence] = relationship()
