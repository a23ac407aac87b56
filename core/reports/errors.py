"""What the desk report and dossier refuse, with a key a user interface can say in its own language."""

from __future__ import annotations

from typing import Any

from core.errors import NetralError


class ReportError(NetralError):
    """A refused act on a desk report; ``key`` names the reason, ``field`` the form field (if any)."""

    http_status = 422

    def __init__(self, message: str, key: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.key = key
        self.field = field
        self.params = params


class ReportFinal(ReportError):
    """The report is final: it is never edited again (make a new version instead)."""

    http_status = 409

    def __init__(self, report_id: int) -> None:
        super().__init__(f"report {report_id} is final and cannot be changed; create a new version", "final")


class VersionConflict(ReportError):
    """Someone else saved the same thing since this form was loaded."""

    http_status = 409

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} was changed by someone else since you opened it; your text is kept below, "
                         "reload to see their version", "version")


class InvalidField(ReportError):
    """A form field's value is refused (``field`` names it)."""


class AttachmentRefused(ReportError):
    """An uploaded file is of the wrong type, too large, or not what its name says."""


class NotConfirmed(ReportError):
    """A case that two reviewers have not confirmed cannot go into an annex or a dossier."""

    http_status = 409

    def __init__(self, case_id: int, status: str) -> None:
        super().__init__(f"case #{case_id} is not confirmed (status: {status}); only a case confirmed by two "
                         "reviewers can be added to a report or referred", "not_confirmed", status=status)
