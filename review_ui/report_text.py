"""What the desk-report pages say when core.reports refuses something, in the request's language.

:class:`core.reports.errors.ReportError` carries a ``key`` (the reason) and a ``field`` (the form field);
this module turns both into one sentence that names the field the user has to fix.
"""

from __future__ import annotations

from collections.abc import Callable

from core.reports.errors import ReportError

Gettext = Callable[[str], str]


def field_label(_: Gettext, field: str | None) -> str:
    """The visible label of a report or entry form field."""
    labels = {
        "title": _("Title"), "period_start": _("Period start"), "period_end": _("Period end"),
        "activity": _("Activity"), "on_date": _("Date"), "place": _("Place"), "unit": _("Responsible unit"),
        "indicators": _("Indicators"), "problems": _("Problems"), "solutions": _("Solutions"),
        "status": _("Status"), "file": _("File"), "format": _("Format"), "text": _("Paragraphs"),
        "election": _("Election"), "to": _("Recipient"),
    }
    return labels.get(field or "", field or "")


def message(_: Gettext, exc: ReportError) -> str:
    """One sentence for a refused act, naming the field when there is one."""
    p = exc.params
    reasons = {
        "required": _("this field is required."),
        "date": _("not a date; write it as YYYY-MM-DD."),
        "too_long": _("the text is too long."),
        "period_order": _("the period ends before it starts."),
        "indicator_format": _("line %(line)s: write 'name | value | unit'.") % {"line": p.get("line", "")},
        "indicator_value": _("line %(line)s: the value is not a number.") % {"line": p.get("line", "")},
        "file_type": _("%(name)s: only PDF, JPEG or PNG files can be attached.") % {"name": p.get("name", "")},
        "file_empty": _("%(name)s: the file is empty.") % {"name": p.get("name", "")},
        "file_size": _("%(name)s: the file is larger than %(limit)s bytes.") % {
            "name": p.get("name", ""), "limit": p.get("limit", "")},
        "file_magic": _("%(name)s: the content does not match the file type its name claims.") % {
            "name": p.get("name", "")},
        "final": _("This report is final and cannot be changed; make a new version instead."),
        "version": _("Someone else saved this since you opened it. Your text is kept below; reload the page to "
                     "see their version."),
        "computed": _("Section 9 is computed from the cases and cannot be typed."),
        "not_confirmed": _("Only a case confirmed by two reviewers can be added (status: %(status)s).") % {
            "status": p.get("status", "")},
        "other_election": _("The case belongs to another election."),
        "supersede_draft": _("That report is still a draft: edit it instead."),
        "named_admin_only": _("Only an admin can export the annex with names."),
        "format": _("Unknown format."),
        "recipient": _("choose Bawaslu or BKN."),
        "evidence_altered": _("An evidence file of this case no longer matches its SHA-256; nothing was sent. "
                              "An admin should run 'netral evidence verify'."),
        "frozen_altered": _("The archived export of this final report no longer matches its SHA-256."),
    }
    text = reasons.get(exc.key, str(exc))
    if exc.field and exc.key not in ("final", "version"):
        return f"{field_label(_, exc.field)}: {text}"
    return text
