"""The whole report as one JSON-ready dict: what the preview shows and every export renders.

A draft's content is built fresh from the database (section 9 from the cases as they are now); a final
report's content is the ``snapshot`` stored when it was finalised, so its exports never change.
``named=True`` (admin exports only) adds name and NIP to the case annex; the stored snapshot is always
the unnamed one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from core.models import DeskReport, Election, utcnow
from core.reports import case_source, neutrality
from core.reports.sections import NEUTRALITY, TITLES
from core.settings import Settings

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")


def tanggal(day: date | str | None) -> str:
    """A date written the Indonesian way (``27 November 2024``)."""
    if not day:
        return ""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs (single newlines are kept inside a paragraph as spaces)."""
    return [" ".join(p.split("\n")).strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _annex(session: Session, election: Election, report: DeskReport, named: bool) -> list[dict[str, Any]]:
    rows = case_source.rows_for(session, election, [c.case_id for c in report.cases])
    names = case_source.named(session, [r.case_id for r in rows]) if named else {}
    out = []
    for r in rows:
        item: dict[str, Any] = {
            "case_id": r.case_id, "number": r.number, "unit": r.unit,
            "employee_type": neutrality.TYPE_LABELS.get(r.employee_type, r.employee_type), "date": r.on.isoformat(),
            "platform": r.platform, "codes": list(r.codes), "status": neutrality.STATUS_LABELS.get(r.status, r.status),
            "incidents": r.incidents, "conduct": r.conduct}
        if named:
            item["name"], item["nip"] = names.get(r.case_id, ("", ""))
        out.append(item)
    return out


def build(session: Session, settings: Settings, report: DeskReport, *, named: bool = False) -> dict[str, Any]:
    """The report's content (a final report's snapshot, unless a named annex is asked for)."""
    election = session.get(Election, report.election_id)
    assert election is not None
    if report.snapshot is not None and not named:
        return report.snapshot
    if report.snapshot is not None:  # named export of a final report: frozen content, annex with names
        content = dict(report.snapshot)
        content["annex"] = _annex(session, election, report, True)
        content["named"] = True
        return content
    rows = neutrality.in_period(case_source.aggregate_rows(session, election), report.period_start,
                                report.period_end)
    data = neutrality.compute(rows, {c.slug: c.name for c in election.contests})
    sections = []
    for s in report.sections:
        entries = [{
            "id": e.id, "activity": e.activity, "on_date": e.on_date.isoformat() if e.on_date else None,
            "place": e.place, "unit": e.unit, "indicators": list(e.indicators or []), "problems": e.problems,
            "solutions": e.solutions, "status": e.status,
            "attachments": [{"filename": a.filename, "sha256": a.evidence.sha256, "media_type": a.media_type}
                            for a in e.attachments]} for e in s.entries]
        paras = neutrality.summary_sentences(data) if s.number == NEUTRALITY else paragraphs(s.text)
        sections.append({"number": s.number, "title": TITLES[s.number], "paragraphs": paras, "entries": entries})
    return {
        "report": {"id": report.id, "title": report.title, "period_start": report.period_start.isoformat(),
                   "period_end": report.period_end.isoformat(), "status": report.status,
                   "supersedes": report.supersedes_id},
        "election": {"slug": election.slug, "name": election.name, "region": election.region},
        "letterhead": {"name": settings.desk_letterhead_name, "office": settings.desk_letterhead_office,
                       "address": settings.desk_letterhead_address},
        "signature": {"title": "Ketua Desk Pilkada", "name": report.chair_name, "nip": report.chair_nip,
                      "place": report.sign_place or election.region, "date": utcnow().date().isoformat()},
        "sections": sections,
        "neutrality": data,
        "annex": _annex(session, election, report, named),
        "named": named,
        "generated_at": utcnow().isoformat(timespec="seconds"),
    }
