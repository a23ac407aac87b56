"""Reports sent in by people (closed platforms) become incidents for triage, one per report.

A report is already a human's lead, so every report becomes an incident of its employee's case for the
Pilkada (opening the case when there is none) whatever the classifier says; the classifier's verdict on
the report's text (note, fetched page, OCR of the screenshots) only adds candidate codes, elements,
contest and priority to help the reviewer. Idempotent: the incident key is the report, and a report
that already has an incident (in any case, even a closed one) opens nothing new.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.case_intake import Flag, open_or_update_many
from core.models import Classification, Election, Incident, Report

log = logging.getLogger(__name__)


def report_key(report_id: int) -> str:
    """The grouping key of the case about one report."""
    return f"report:{report_id}"


def open_report_cases(session: Session, election: Election, model_version: str) -> list[int]:
    """An incident for every report that has none yet; returns the ids of the cases it opened."""
    known = set(session.scalars(select(Incident.target_key).where(Incident.target_key.like("report:%"))))
    rows = session.execute(
        select(Report, Classification)
        .outerjoin(Classification, (Classification.content_id == Report.content_id)
                   & (Classification.model_version == model_version))
        .order_by(Report.id)).all()
    flags = []
    for report, verdict in rows:
        if report_key(report.id) in known:
            continue
        campaign = verdict is not None and verdict.campaign
        elements = [f"reported by {report.reported_by} through report intake ({report.platform})"]
        if verdict is not None:
            elements.append(f"classifier: {'campaign' if campaign else 'not campaign'} content "
                            f"(score {verdict.score:.2f})")
        flags.append(Flag(
            interaction_id=None, employee_id=report.employee_id, platform=report.platform,
            target_key=report_key(report.id), target_content_id=report.content_id, election_id=election.id,
            model_version=model_version, score=verdict.score if verdict is not None else None,
            pair_number=verdict.pair_number if verdict is not None else None,
            stance=verdict.stance if verdict is not None else None,
            codes=["KE-4", "HD-6"] if campaign else [], elements=elements,
            priority=max(0.5, verdict.score if verdict is not None else 0.5),
            details={"report_id": report.id, "source": "report"},
            contest=verdict.contest if verdict is not None else None, own_text_campaign=True))
    new = sorted({o.case_id for o in open_or_update_many(session, flags) if o.what == "created" and o.case_id})
    session.flush()
    log.info("reports: %d new case(s)", len(new))
    return new
