"""Exceptions that carry meaning; the CLI and the web app each render them in one handler."""

from __future__ import annotations

from dataclasses import dataclass


class NetralError(Exception):
    """Base of every error netral reports to a user (exit code 1 on the command line)."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as the input allows."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p not in (None, ""))
        return f"{where}: {self.message}"


class InputFileError(NetralError):
    """An input file was rejected; ``problems`` lists every error found, nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class NotFound(NetralError):
    """A named thing (employee, election, case) does not exist."""

    exit_code = 2
