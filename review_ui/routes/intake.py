"""Report intake in the browser: tips from closed platforms (WhatsApp, Instagram, TikTok) by reviewers and desk.

The page finds the employee by name or NIP, takes the URL, platform, the date the post was seen, several
screenshots (drag and drop or the file picker) and a note, and hands them to the same
:func:`core.intake.add_report` the CLI uses (archive, OCR, content item, report row, audit event). The
report is opened as a case at once (``detected``; the scan later adds the classifier's verdict to the same
case: the case key is the report). Everything happens in one transaction: a refused file, an unknown
employee or an OCR failure re-renders the form with the reason and writes nothing.
"""

from __future__ import annotations

import logging
import re
import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.case_intake import Flag, open_or_update
from core.errors import NotFound
from core.intake import ReportInputError, add_report
from core.models import Election, Employee, Platform, Report, Role, User
from core.ocr import OcrError
from core.settings import Settings
from review_ui.deps import get_db, get_settings, require
from review_ui.templating import gettext_for, render

log = logging.getLogger(__name__)
router = APIRouter()
REPORTERS = (Role.ADMIN, Role.REVIEWER, Role.DESK)
#: Limits on what one report may upload (a screenshot is well under this).
MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(Exception):
    """An uploaded file was refused before anything was stored (the message is for the user)."""


def find_employees(db: Session, q: str, limit: int = 10) -> list[Employee]:
    """Employees whose name or NIP contains ``q`` (at least 3 characters), best-known first."""
    q = q.strip()
    if len(q) < 3:
        return []
    pattern = f"%{q.lower()}%"
    return list(db.scalars(select(Employee).where(or_(func.lower(Employee.name).like(pattern),
                                                      Employee.id_number.like(f"%{q}%")))
                           .order_by(Employee.name).limit(limit)))


def _form(request: Request, status_code: int = 200, error: str | None = None,
          values: dict[str, str] | None = None) -> Response:
    return render(request, "intake.html", {"error": error, "v": values or {},
                                           "platforms": [p.value for p in Platform]}, status_code=status_code)


@router.get("/reports/new")
def intake_page(request: Request, user: User = Depends(require(*REPORTERS))) -> Response:
    """The empty report form."""
    return _form(request)


@router.get("/reports/employees")
def employee_options(request: Request, employee: str = "", user: User = Depends(require(*REPORTERS)),
                     db: Session = Depends(get_db)) -> Response:
    """The employee picker's matches (an htmx fragment)."""
    return render(request, "_employee_options.html", {"employees": find_employees(db, employee)})


async def _save_uploads(files: list[UploadFile], into: Path, _: object) -> list[Path]:
    """Write the uploads to ``into``; refuse too many, too large or empty files (with the file's name)."""
    gettext = _  # the request's gettext
    chosen = [f for f in files if f.filename]
    if len(chosen) > MAX_FILES:
        raise UploadRefused(gettext("At most %(n)s screenshots per report.") % {"n": MAX_FILES})  # type: ignore[operator]
    paths = []
    for n, upload in enumerate(chosen):
        name = _SAFE_NAME.sub("_", Path(upload.filename or "file").name)[:100] or "file"
        body = await upload.read(MAX_FILE_BYTES + 1)
        if len(body) > MAX_FILE_BYTES:
            raise UploadRefused(gettext("%(name)s: larger than %(mb)s MB.")  # type: ignore[operator]
                                % {"name": upload.filename, "mb": MAX_FILE_BYTES // (1024 * 1024)})
        if not body:
            raise UploadRefused(gettext("%(name)s: the file is empty.") % {"name": upload.filename})  # type: ignore[operator]
        path = into / f"{n:02d}-{name}"
        path.write_bytes(body)
        paths.append(path)
    return paths


def _open_case(db: Session, report: Report) -> int:
    """The employee's case the new report joins (one case per person and Pilkada; the report is an incident)."""
    election_id = db.scalars(select(Election.id).order_by(Election.id.desc())).first()
    outcome = open_or_update(db, Flag(
        interaction_id=None, employee_id=report.employee_id, platform=report.platform,
        target_key=f"report:{report.id}", target_content_id=report.content_id, election_id=election_id,
        model_version="", score=None, pair_number=None, stance=None, codes=[],
        elements=[f"reported by {report.reported_by} through report intake ({report.platform})"],
        priority=0.5, details={"report_id": report.id, "source": "report"}))
    db.flush()
    if outcome.case_id is None:  # a report is never ruled out by a verdict on another target
        raise RuntimeError(f"report {report.id} opened no case")
    return outcome.case_id


@router.post("/reports")
async def submit(request: Request, employee: str = Form(""), url: str = Form(""), platform: str = Form(""),
                 seen_on: str = Form(""), note: str = Form(""),
                 screenshots: list[UploadFile] = File(default=[]),
                 user: User = Depends(require(*REPORTERS)), db: Session = Depends(get_db),
                 settings: Settings = Depends(get_settings)) -> Response:
    """Store the report with OCR and open its case; refusals re-render the form with the reason."""
    _ = gettext_for(request)
    values = {"employee": employee, "url": url, "platform": platform, "seen_on": seen_on, "note": note}
    try:
        seen = date.fromisoformat(seen_on) if seen_on else None
    except ValueError:
        return _form(request, 422, _("The date seen is not a valid date."), values)
    if not employee.strip():
        return _form(request, 422, _("Choose the employee (search by name or NIP)."), values)
    with tempfile.TemporaryDirectory(prefix="netral-report-") as tmp:
        try:
            paths = await _save_uploads(screenshots, Path(tmp), _)
            item = add_report(db, settings, employee_number=employee, url=url.strip() or None, screenshots=paths,
                              note=note.strip(), actor=user.username, platform=platform or None)
            if seen is not None:
                item.extra = {**item.extra, "seen_on": seen.isoformat()}
            report = db.scalars(select(Report).where(Report.content_id == item.id)).one()
            case_id = _open_case(db, report)
            db.commit()
        except IntegrityError:  # the same report stored at the same moment by someone else
            db.rollback()
            return _form(request, 409, _("The same report was stored a moment ago by someone else; it is "
                                         "already in the queue."), values)
        except UploadRefused as exc:
            db.rollback()
            return _form(request, 422, str(exc), values)
        except NotFound:
            db.rollback()
            return _form(request, 422, _("No employee with this NIP / ID number."), values)
        except (ReportInputError, OcrError) as exc:
            db.rollback()
            reason = str(exc).replace(tmp + "/", "")
            return _form(request, 422, _("The report was not stored: %(reason)s") % {"reason": reason}, values)
    log.info("report %s stored through the UI by %s; case %s", report.id, user.username, case_id)
    if user.role == Role.DESK:
        return _form(request, 201, None, {"stored": str(case_id)})
    return RedirectResponse(f"/cases/{case_id}?done=reported", status_code=303)
