"""The banner shown after a decision: generic on the decided case's own page; after "Simpan & lanjut" the
next page (another case, or the queue) names the case decided by its number, so the reviewer sees which
case the decision went to (``?done=<outcome>&decided=<case id>``)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from core.reports.case_source import case_numbers
from core.settings import Settings
from review_ui.messages import decided_message, done_message
from review_ui.templating import gettext_for


def banner(request: Request, db: Session, settings: Settings) -> str | None:
    """The banner text for this request's ``done`` (and ``decided``) query parameters, or None.

    ``decided`` comes from the URL, so only a case that exists is named (and only by its number, which
    shows no person; every role that sees the banner may read cases)."""
    _ = gettext_for(request)
    done = request.query_params.get("done")
    decided = request.query_params.get("decided", "")
    if done and decided.isdigit():
        number = case_numbers(db, [int(decided)], settings.default_timezone).get(int(decided))
        if number is not None:
            return decided_message(_, done, number)
    count = request.query_params.get("n", "")
    if done == "bulk" and count.isdigit():
        return str(_("%(n)s selected cases not continued (dismissed).") % {"n": int(count)})
    return done_message(_, done)
