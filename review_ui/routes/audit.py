"""The audit log for admins and auditors: every event, paged and filtered, with details, CSV export and the
hash chain's verification ("N events verified, head hash …"). Viewing and exporting are themselves audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from core import audit
from core.models import Role, User, utcnow
from review_ui import audit_view, messages
from review_ui.deps import get_db, require
from review_ui.templating import gettext_for, render

router = APIRouter()
AUDITORS = (Role.ADMIN, Role.AUDITOR)


@router.get("/audit")
def audit_log(request: Request, user: User = Depends(require(*AUDITORS)),
              db: Session = Depends(get_db)) -> Response:
    """One page of events (filters in the query string) and whether the chain is intact."""
    _ = gettext_for(request)
    f = audit_view.AuditFilters.parse(dict(request.query_params))
    chain = audit_view.chain_status(db)
    page = audit_view.page_of(db, f)
    actors, actions, objects = audit_view.choices(db)
    audit.record(db, user.username, "audit.view", object_type="audit_log", details=f.args())
    db.commit()
    return render(request, "audit.html", {
        "chain": chain, "p": page, "f": f, "actors": actors, "actions": actions, "objects": objects,
        "audit_label": lambda a: messages.audit_action_label(_, a),
        "object_label": lambda k: messages.object_type_label(_, k),
        "object_link": audit_view.object_link, "details_of": lambda e: audit_view.details_text(e, _)})


@router.get("/audit.csv")
def audit_csv(request: Request, user: User = Depends(require(*AUDITORS)),
              db: Session = Depends(get_db)) -> Response:
    """The filtered events as CSV, all pages (the export is audited before it is sent)."""
    _ = gettext_for(request)
    f = audit_view.AuditFilters.parse(dict(request.query_params))
    body = audit_view.export_csv(db, f, lambda a: messages.audit_action_label(_, a))
    audit.record(db, user.username, "audit.export", object_type="audit_log", details=f.args())
    db.commit()
    name = f"netral-audit-{utcnow():%Y%m%d-%H%M%S}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})
