"""In-app notifications: cases waiting for your second confirmation, and deadlines due soon (core.notices)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from core import notices
from core.settings import Settings
from review_ui.deps import ALL_ROLES, get_db, get_settings, require
from review_ui.templating import render

router = APIRouter()


@router.get("/notifications")
def notifications(request: Request, user=Depends(require(*ALL_ROLES)),  # type: ignore[no-untyped-def]
                  db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The user's notices, waiting confirmations first."""
    items = notices.for_user(db, settings, user)
    return render(request, "notifications.html", {
        "waiting": [n for n in items if n.kind == "second_confirmation"],
        "due": [n for n in items if n.kind == "deadline"], "workdays": settings.notice_deadline_workdays})


@router.get("/notifications/count")
def count(request: Request, user=Depends(require(*ALL_ROLES)),  # type: ignore[no-untyped-def]
          db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """The badge beside the menu link (an htmx fragment; empty when there is nothing)."""
    n = len(notices.for_user(db, settings, user))
    return HTMLResponse(f'<span class="badge late" id="notice-count">{n}</span>' if n else "")
