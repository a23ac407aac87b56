"""Cases and incidents: one case per employee per Pilkada, one incident per target the employee touched.

The examination, the BAP, the LHP and the SK are about a person, and several violations judged together
lead to one sanction (domain.md §3, §5), so the unit of review and due process is the
:class:`Case` (``employee × election``). What the scan finds is an :class:`Incident`: one target (a content
item, a followed account or a report) with the employee's interactions on it, the model's verdict, the
contest and pair, the candidate codes and the rule elements met. Repeated interactions with the same
target attach to the same incident (:class:`IncidentInteraction`).

An incident is open (``outcome`` None) until people judge it ``proven`` or ``not_proven``; each
reviewer's mark is an :class:`IncidentMark` (stage 1 = first look, stage 2 = second look, four eyes).
An incident that joins a case after its confirmation is ``supplementary`` (tambahan) and needs its own
two-person confirmation. After a case is closed (or dismissed) a new case is opened for the same person
and Pilkada (``sequence`` + 1) with ``previous_case_id`` pointing back, so repeat conduct stays visible.

``version`` is the case's optimistic-concurrency counter: every decision names the version it was made
on and raises it by one; a decision made on an older version is refused (:mod:`core.cases`).

A :class:`TargetVerdict` is a reviewer's ruling on one target for everyone who touched it ("not campaign
content" / "campaign content"). The status vocabulary is :class:`core.models.enums.CaseStatus`.
"""

from __future__ import annotations

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

from core.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from core.models.content import ContentItem, Interaction
from core.models.election import Election
from core.models.roster import Employee

PROVEN = "proven"
NOT_PROVEN = "not_proven"


class Case(TimestampMixin, Base):
    """A person's case in one Pilkada; it never carries a sanction chosen by the software.

    ``score`` and ``candidate_codes`` summarise the incidents for lists (the strongest score; the codes
    of the proven incidents once confirmed, of every incident before); ``summary`` holds the incident
    counts, platforms, contests and filter facets a queue line needs (:func:`core.case_priority.summary_of`);
    ``priority`` is the documented queue order (:mod:`core.case_priority`)."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("employee_id", "election_id", "sequence"),
        Index("ix_case_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id", ondelete="SET NULL"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    previous_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(32), default="detected")
    version: Mapped[int] = mapped_column(Integer, default=1)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    score: Mapped[float | None] = mapped_column(Float)
    candidate_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    employee: Mapped[Employee] = relationship()
    election: Mapped[Election | None] = relationship()
    incidents: Mapped[list[Incident]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Incident.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )

    @property
    def open_incidents(self) -> list[Incident]:
        """Incidents nobody has judged to the end yet."""
        return [i for i in self.incidents if i.outcome is None]

    @property
    def proven_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.outcome == PROVEN]


class Incident(TimestampMixin, Base):
    """One target an employee touched, with everything a reviewer needs to judge it.

    ``contest`` is the slug of the contest of ``pair_number`` (None when the text did not tell);
    ``joined_status`` is the case's status when the incident joined (None for the incidents the case
    was opened with): joined in triage, it shows as new. ``legacy_case_id`` is the id the incident had
    as a case before revision 0500 (audit entries of that time name it)."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("case_id", "target_key"),
        Index("ix_incident_case_id_outcome", "case_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    target_key: Mapped[str] = mapped_column(String(600), index=True)
    target_content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    contest: Mapped[str | None] = mapped_column(String(100))
    pair_number: Mapped[int | None] = mapped_column(Integer)
    stance: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    model_version: Mapped[str | None] = mapped_column(String(64))
    candidate_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rule_elements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    outcome_source: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supplementary: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_status: Mapped[str | None] = mapped_column(String(32))
    addendum: Mapped[int | None] = mapped_column(Integer)
    legacy_case_id: Mapped[int | None] = mapped_column(Integer, index=True)

    case: Mapped[Case] = relationship(back_populates="incidents")
    target_content: Mapped[ContentItem | None] = relationship()
    links: Mapped[list[IncidentInteraction]] = relationship(back_populates="incident",
                                                            cascade="all, delete-orphan")
    marks: Mapped[list[IncidentMark]] = relationship(back_populates="incident", cascade="all, delete-orphan",
                                                     order_by="IncidentMark.stage")

    @property
    def is_new(self) -> bool:
        """Joined while the case was already in review (shown as new to the reviewers)."""
        return self.joined_status is not None and self.outcome is None


class IncidentInteraction(Base):
    """Attaches an interaction to its incident (one incident, many repeated interactions)."""

    __tablename__ = "incident_interaction"
    __table_args__ = (UniqueConstraint("incident_id", "interaction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="links")
    interaction: Mapped[Interaction] = relationship()


class IncidentMark(Base):
    """One reviewer's mark on one incident: ``proven`` or ``not_proven`` (with a reason).

    ``stage`` 1 is the first look, 2 the second look by another reviewer (four eyes)."""

    __tablename__ = "incident_mark"
    __table_args__ = (UniqueConstraint("incident_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewer: Mapped[str] = mapped_column(String(100))
    mark: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="marks")


class CaseEvent(Base):
    """One step in a case's history: a state change, a decision, a note, a reference number.

    ``incident_id`` names the incident the step is about, when it is about one."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")


class TargetVerdict(Base):
    """A reviewer's ruling on one target for everyone who touched it; the newest ruling stands.

    ``not_campaign`` closes every open incident on the target as not proven (and is a negative label
    for retraining); ``campaign`` raises the priority of every incident on it and confirms nothing."""

    __tablename__ = "target_verdict"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_key: Mapped[str] = mapped_column(String(600), index=True)
    target_content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    incidents: Mapped[list[Any]] = mapped_column(JSON, default=list)
