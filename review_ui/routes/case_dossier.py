"""What leaves a confirmed case's page: the signed referral dossier, and the case put into a desk report.

The dossier (cover letter, summary, every evidence file, signed manifest) is made by
:func:`core.reports.dossier.make`, which audits it and refuses a case two reviewers have not confirmed.
Admins may also put the case into a draft evaluation report of its election from here ("Tambahkan ke
laporan"); the desk does the same from its list of confirmed cases, which never shows the person.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Case, DeskReport, User
from core.recusal import ensure_not_recused
from core.reports import dossier
from core.reports.case_source import CONFIRMED_OR_LATER
from core.reports.errors import ReportError
from core.settings import Settings
from review_ui.deps import DECIDERS, get_db, get_settings, require
from review_ui.report_text import message
from review_ui.routes import case as case_routes
from review_ui.templating import gettext_for

router = APIRouter()
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def referable(case: Case) -> bool:
    """Whether the page offers the dossier and "add to report" (a confirmed case or one further on)."""
    return case.status in {str(s) for s in CONFIRMED_OR_LATER}


def draft_reports(db: Session, case: Case, user: User) -> list[DeskReport]:
    """The draft reports of the case's election an admin can put it into from the case page."""
    if user.role != "admin" or not referable(case):
        return []
    return list(db.scalars(select(DeskReport).where(DeskReport.election_id == case.election_id,
                                                    DeskReport.status == "draft").order_by(DeskReport.id.desc())))


@router.post("/cases/{case_id}/dossier")
def make_dossier(request: Request, case_id: int, to: str = Form(""), user: User = Depends(require(*DECIDERS)),
                 db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The signed dossier ZIP for Bawaslu or BKN (audited); a case not confirmed is refused with the reason."""
    _ = gettext_for(request)
    case = case_routes._case(db, case_id)
    ensure_not_recused(case, user, settings)
    try:
        blob = dossier.make(db, settings, case_id, to, user.username)
    except ReportError as exc:
        db.rollback()
        return case_routes._page(request, db, case_routes._case(db, case_id), user, settings,
                                 error=message(_, exc), status_code=exc.http_status)
    db.commit()
    name = _SAFE.sub("-", f"dossier-kasus-{case_id}-{to}")
    return Response(blob, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}.zip"', "Cache-Control": "no-store"})
