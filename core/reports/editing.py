"""Writing a desk report: create (or a new version of a final one), sections, entries, the case annex.

Every function refuses a final report (:class:`ReportFinal`) and every save names the version the form
was loaded with: a different stored version means someone saved in between, and the save is refused
(:class:`VersionConflict`) so the caller can show the user's text again. The mapper's version counter
catches the same race between two transactions that both read the old version. Functions flush; the
caller commits (and records the audit event with the act).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import NotFound
from core.models import DeskEntry, DeskReport, DeskReportCase, DeskSection, Election
from core.reports import case_source
from core.reports.errors import InvalidField, NotConfirmed, ReportError, ReportFinal, VersionConflict
from core.reports.sections import NEUTRALITY, STAGES_SECTION, TITLES, calendar_stages

ENTRY_FIELDS = ("activity", "on_date", "place", "unit", "indicators", "problems", "solutions", "status")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def get_report(session: Session, report_id: int) -> DeskReport:
    """One report, or :class:`NotFound`."""
    report = session.get(DeskReport, report_id)
    if report is None:
        raise NotFound(f"no desk report #{report_id}")
    return report


def editable(report: DeskReport) -> None:
    """Refuse any change to a final report."""
    if report.status != "draft":
        raise ReportFinal(report.id)


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidField(f"{field}: not a date (YYYY-MM-DD): {value!r}", "date", field) from None


def create_report(session: Session, election: Election, title: str, period_start: str, period_end: str,
                  actor: str, *, chair_name: str = "", chair_nip: str = "", sign_place: str = "",
                  supersedes: DeskReport | None = None) -> DeskReport:
    """A new draft with its ten sections; section 8 lists the election's stages (or the old version's)."""
    if not title.strip():
        raise InvalidField("title is required", "required", "title")
    start, end = _date(period_start, "period_start"), _date(period_end, "period_end")
    if end < start:
        raise InvalidField("the period ends before it starts", "period_order", "period_end")
    if supersedes is not None and supersedes.status != "final":
        raise ReportError(f"report {supersedes.id} is still a draft: edit it instead", "supersede_draft")
    report = DeskReport(election_id=election.id, title=title.strip(), period_start=start, period_end=end,
                        created_by=actor, chair_name=chair_name.strip(), chair_nip=chair_nip.strip(),
                        sign_place=sign_place.strip(), supersedes_id=supersedes.id if supersedes else None)
    old = {s.number: s for s in supersedes.sections} if supersedes else {}
    for number in TITLES:
        section = DeskSection(number=number, text=old[number].text if number in old else "")
        if number in old:
            for e in old[number].entries:
                section.entries.append(DeskEntry(position=e.position, **{k: getattr(e, k) for k in (
                    "activity", "on_date", "place", "unit", "indicators", "problems", "solutions", "status",
                    "stage_key")}))
        elif number == STAGES_SECTION:
            for pos, (key, name, first) in enumerate(calendar_stages(election), 1):
                section.entries.append(DeskEntry(position=pos, activity=name, on_date=first, stage_key=key,
                                                 status="terjadwal", indicators=[]))
        report.sections.append(section)
    if supersedes is not None:
        for c in supersedes.cases:
            report.cases.append(DeskReportCase(case_id=c.case_id, added_by=actor))
    session.add(report)
    session.flush()
    audit.record(session, actor, "desk_report_create", object_type="desk_report", object_id=report.id,
                 details={"election": election.slug, "supersedes": report.supersedes_id})
    return report


def section(report: DeskReport, number: int) -> DeskSection:
    """Section ``number`` of the report."""
    for s in report.sections:
        if s.number == number:
            return s
    raise NotFound(f"report {report.id} has no section {number}")


def save_section(session: Session, report: DeskReport, number: int, text: str, version: int, actor: str) -> None:
    """Replace a section's paragraphs, if nobody saved it since ``version``."""
    editable(report)
    if number == NEUTRALITY:
        raise ReportError("section 9 is computed from the cases and cannot be typed", "computed")
    sec = section(report, number)
    if sec.version != version:
        raise VersionConflict(f"section {number}")
    sec.text = text.replace("\r\n", "\n").strip()
    session.flush()


@dataclass(frozen=True)
class EntryInput:
    """A validated entry form."""

    values: dict[str, Any]


def parse_indicators(text: str) -> list[dict[str, str]]:
    """Lines ``name | value | unit`` (unit optional); the value must be a number."""
    out = []
    for lineno, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or len(parts) > 3:
            raise InvalidField(f"indicators line {lineno}: write 'name | value | unit'", "indicator_format",
                               "indicators", line=lineno)
        if not _NUMBER.match(parts[1]):
            raise InvalidField(f"indicators line {lineno}: value {parts[1]!r} is not a number",
                               "indicator_value", "indicators", line=lineno)
        out.append({"name": parts[0], "value": parts[1].replace(",", "."), "unit": parts[2] if len(parts) > 2
                    else ""})
    return out


def indicators_text(indicators: list[Any]) -> str:
    """The entry form's text for stored indicators."""
    return "\n".join(" | ".join(x for x in (i.get("name", ""), i.get("value", ""), i.get("unit", "")) if x != "")
                     if i.get("unit") else f"{i.get('name', '')} | {i.get('value', '')}" for i in indicators)


def parse_entry(form: dict[str, str]) -> EntryInput:
    """Validate an entry form; :class:`InvalidField` names the first field refused."""
    activity = (form.get("activity") or "").strip()
    if not activity:
        raise InvalidField("activity is required", "required", "activity")
    if len(activity) > 300:
        raise InvalidField("activity is longer than 300 characters", "too_long", "activity")
    raw_date = (form.get("on_date") or "").strip()
    values: dict[str, Any] = {
        "activity": activity, "on_date": _date(raw_date, "on_date") if raw_date else None,
        "place": (form.get("place") or "").strip()[:200], "unit": (form.get("unit") or "").strip()[:200],
        "indicators": parse_indicators(form.get("indicators") or ""),
        "problems": (form.get("problems") or "").strip(), "solutions": (form.get("solutions") or "").strip(),
        "status": (form.get("status") or "").strip()[:32],
    }
    return EntryInput(values)


def save_entry(session: Session, report: DeskReport, number: int, entry_id: int | None, data: EntryInput,
               version: int | None, actor: str) -> DeskEntry:
    """Add an entry to section ``number`` or update one (``version`` must match)."""
    editable(report)
    if number == NEUTRALITY:
        raise ReportError("section 9 is computed from the cases and cannot be typed", "computed")
    sec = section(report, number)
    if entry_id is None:
        position = (session.scalar(select(func.max(DeskEntry.position)).where(DeskEntry.section_id == sec.id))
                    or 0) + 1
        entry = DeskEntry(section_id=sec.id, position=position, **data.values)
        session.add(entry)
    else:
        entry = entry_of(report, entry_id)
        if entry.version != version:
            raise VersionConflict(f"entry {entry_id}")
        for key, value in data.values.items():
            setattr(entry, key, value)
    session.flush()
    return entry


def entry_of(report: DeskReport, entry_id: int) -> DeskEntry:
    """An entry of this report (an id from another report is not found)."""
    for s in report.sections:
        for e in s.entries:
            if e.id == entry_id:
                return e
    raise NotFound(f"report {report.id} has no entry {entry_id}")


def delete_entry(session: Session, report: DeskReport, entry_id: int, actor: str) -> None:
    """Remove an entry (its archived attachments stay in the evidence archive)."""
    editable(report)
    entry = entry_of(report, entry_id)
    entry.section.entries.remove(entry)
    session.flush()


def add_case(session: Session, report: DeskReport, case_id: int, actor: str) -> bool:
    """Put a confirmed case of the report's election in the annex; False if it was there already."""
    editable(report)
    ok, status = case_source.is_confirmed(session, case_id)
    if not ok:
        raise NotConfirmed(case_id, status)
    if case_source.election_of_case(session, case_id).id != report.election_id:
        raise ReportError(f"case #{case_id} belongs to another election", "other_election")
    if any(c.case_id == case_id for c in report.cases):
        return False
    report.cases.append(DeskReportCase(case_id=case_id, added_by=actor))
    session.flush()
    audit.record(session, actor, "desk_report_add_case", object_type="desk_report", object_id=report.id,
                 details={"case_id": case_id})
    return True


def remove_case(session: Session, report: DeskReport, case_id: int, actor: str) -> None:
    """Take a case out of the annex."""
    editable(report)
    for c in list(report.cases):
        if c.case_id == case_id:
            report.cases.remove(c)
    session.flush()
    audit.record(session, actor, "desk_report_remove_case", object_type="desk_report", object_id=report.id,
                 details={"case_id": case_id})


def reports_of(session: Session, election_id: int | None = None) -> list[DeskReport]:
    """Reports, newest first (optionally one election's)."""
    query = select(DeskReport).order_by(DeskReport.id.desc())
    if election_id is not None:
        query = query.where(DeskReport.election_id == election_id)
    return list(session.scalars(query))
