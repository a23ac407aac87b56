"""Reports sent in by people (closed platforms) become cases for triage, one per report.

A report is already a human's lead, so every report opens a case in ``detected`` whatever the
classifier says; the classifier's verdict on the report's text (note, fetched page, OCR of the
screenshots) only adds candidate codes, elements and priority to help the reviewer. Idempotent: the
case key is the report, so a rerun opens nothing new.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.case_intake import Flag, open_or_update_many
from core.models import Classification, Election, Report

log = logging.getLogger(__name__)


def report_key(report_id: int) -> str:
    """The grouping key of the case about one report."""
    return f"report:{report_id}"


def open_report_cases(session: Session, election: Election, model_version: str) -> list[int]:
    """Open a case for every report that has none yet; returns the new case ids."""
    rows = session.execute(
        select(Report, Classification)
        .outerjoin(Classification, (Classification.content_id == Report.content_id)
                   & (Classification.model_version == model_version))
        .order_by(Report.id)).all()
    flags = []
    for report, verdict in rows:
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
            details={"report_id": report.id, "source": "report"}))
    new = [case.id for case, what in open_or_update_many(session, flags) if what == "created"]
    session.flush()
    log.info("reports: %d new case(s)", len(new))
    return new
