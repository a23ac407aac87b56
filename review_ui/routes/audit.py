"""The audit log, readable by admins and auditors, with the hash chain's verification."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, audit_checkpoint
from core.models import AuditEvent, Role, User
from core.settings import get_settings
from review_ui.deps import get_db, require
from review_ui.templating import render

router = APIRouter()


@router.get("/audit")
def audit_log(request: Request, user: User = Depends(require(Role.ADMIN, Role.AUDITOR)),
              db: Session = Depends(get_db)) -> Response:
    """The latest 200 events and whether the chain is intact (viewing the log is itself audited)."""
    events = list(db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200)))
    verification = audit_checkpoint.verify(db, get_settings().data_dir)
    audit.record(db, user.username, "audit.view", object_type="audit_log")
    db.commit()
    return render(request, "audit.html", {"events": events, "breaks": verification.breaks,
                                          "verification": verification})
