"""The SKB 2022 violation table as editable reference data (admins): conduct text, sanction wording, source.

The codes, tracks and levels stay as the annex and the seed define them (they drive the queue's severity and
the due-process forms); what an administrator corrects here is the wording reviewers read on the case page —
the conduct text (Indonesian and English), the sanction named by the annex, the source citation — and
whether a code is in use. Each change is one transaction with an audit event listing what changed.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import NotFound
from core.models import Role, User, ViolationType
from review_ui.deps import get_db, require
from review_ui.templating import gettext_for, render

router = APIRouter()
EDITABLE = ("conduct", "conduct_en", "sanction", "source")
MAX_TEXT = 2000


def _page(request: Request, db: Session, error: str | None = None, done: str | None = None,
          status_code: int = 200) -> Response:
    rows = list(db.scalars(select(ViolationType).order_by(ViolationType.track.desc(), ViolationType.code)))
    return render(request, "violations.html", {"rows": rows, "error": error, "done": done},
                  status_code=status_code)


@router.get("/admin/violations")
def violations(request: Request, user: User = Depends(require(Role.ADMIN)),
               db: Session = Depends(get_db)) -> Response:
    """Every code with its texts, editable."""
    _ = gettext_for(request)
    return _page(request, db, done=_("Saved.") if request.query_params.get("done") else None)


@router.post("/admin/violations/{code}")
def update(request: Request, code: str, conduct: str = Form(""), conduct_en: str = Form(""),
           sanction: str = Form(""), source: str = Form(""), active: str = Form(""),
           user: User = Depends(require(Role.ADMIN)), db: Session = Depends(get_db)) -> Response:
    """Save one code's texts (empty conduct refused; nothing changes when any field is refused)."""
    _ = gettext_for(request)
    row = db.get(ViolationType, code)
    if row is None:
        raise NotFound(f"violation code {code}")
    values = {"conduct": conduct.strip(), "conduct_en": conduct_en.strip(), "sanction": sanction.strip(),
              "source": source.strip()}
    if not values["conduct"] or not values["conduct_en"]:
        return _page(request, db, _("%(code)s: the conduct text is required in both languages.") % {"code": code},
                     status_code=422)
    if any(len(v) > MAX_TEXT for v in values.values()):
        return _page(request, db, _("%(code)s: a text is longer than %(n)s characters.") % {"code": code,
                                                                                           "n": MAX_TEXT},
                     status_code=422)
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if row.active != bool(active):
        changed["active"] = bool(active)  # type: ignore[assignment]
    for key, value in changed.items():
        setattr(row, key, value)
    if changed:
        audit.record(db, user.username, "violation.edit", object_type="violation", object_id=code,
                     details={"changed": sorted(changed)})
    db.commit()
    return RedirectResponse(f"/admin/violations?done=1#v-{code}", status_code=303)
