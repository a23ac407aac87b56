"""Parse NIP (PNS) and NI PPPK numbers into their fields, with warnings for implausible values.

Structure (domain.md §7), 18 digits, often written with spaces (``19860926 201505 1 001``):
- NIP: birth date ``YYYYMMDD`` · first appointment (TMT CPNS) ``YYYYMM`` · gender ``G`` · serial ``NNN``.
- NI PPPK: birth date ``YYYYMMDD`` · appointment year ``YYYY`` · two digits ≥ 21 (meaning unconfirmed) ·
  gender ``G`` · serial ``NNN``.
Legacy numbers with errors exist, so implausible values are **warnings**, never rejections; only a
number that is not 18 digits is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

NIP_LENGTH = 18
MIN_AGE_AT_APPOINTMENT = 18
MAX_AGE_AT_APPOINTMENT = 60
MIN_BIRTH_YEAR = 1940


class NipFormatError(ValueError):
    """The number is not 18 digits (after removing spaces): it cannot be parsed at all."""


@dataclass(frozen=True)
class ParsedNip:
    """The fields of an 18-digit NIP or NI PPPK, and the warnings found while checking them."""

    number: str
    kind: str
    birth_date: date | None
    appointment: str
    gender: str | None
    serial: str
    warnings: list[str] = field(default_factory=list)


def normalise_number(raw: str) -> str:
    """Remove the spaces, dots and dashes documents put inside the number."""
    return re.sub(r"[\s.\-]", "", raw.strip())


def _birth_date(digits: str, warnings: list[str]) -> date | None:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        warnings.append(f"birth date {digits[0:8]} is not a real date")
        return None
    if born.year < MIN_BIRTH_YEAR:
        warnings.append(f"birth year {born.year} is implausibly early")
    return born


def _gender(digit: str, warnings: list[str]) -> str | None:
    if digit == "1":
        return "M"
    if digit == "2":
        return "F"
    warnings.append(f"gender digit {digit} is neither 1 (male) nor 2 (female)")
    return None


def _check_age(born: date | None, year: int, today: date, warnings: list[str]) -> None:
    if born is None:
        return
    age = year - born.year
    if age < MIN_AGE_AT_APPOINTMENT:
        warnings.append(f"appointed at age {age}, younger than {MIN_AGE_AT_APPOINTMENT}")
    elif age > MAX_AGE_AT_APPOINTMENT:
        warnings.append(f"appointed at age {age}, older than {MAX_AGE_AT_APPOINTMENT}")
    if born > today:
        warnings.append("birth date is in the future")


def parse_nip(raw: str, *, today: date | None = None) -> ParsedNip:
    """Parse a PNS NIP; raise :class:`NipFormatError` unless it is 18 digits."""
    number = normalise_number(raw)
    if not re.fullmatch(r"\d{18}", number):
        raise NipFormatError(f"NIP must be 18 digits, got {raw.strip()!r}")
    today = today or date.today()
    warnings: list[str] = []
    born = _birth_date(number, warnings)
    year, month = int(number[8:12]), int(number[12:14])
    if not 1 <= month <= 12:
        warnings.append(f"appointment month {number[12:14]} is not a month")
    if year > today.year or (year == today.year and month > today.month):
        warnings.append(f"appointment {number[8:14]} is in the future")
    _check_age(born, year, today, warnings)
    gender = _gender(number[14], warnings)
    if number[15:18] == "000":
        warnings.append("serial number 000 is not issued")
    return ParsedNip(number, "NIP", born, number[8:14], gender, number[15:18], warnings)


def parse_ni_pppk(raw: str, *, today: date | None = None) -> ParsedNip:
    """Parse an NI PPPK; raise :class:`NipFormatError` unless it is 18 digits."""
    number = normalise_number(raw)
    if not re.fullmatch(r"\d{18}", number):
        raise NipFormatError(f"NI PPPK must be 18 digits, got {raw.strip()!r}")
    today = today or date.today()
    warnings: list[str] = []
    born = _birth_date(number, warnings)
    year = int(number[8:12])
    if year < 2019:
        warnings.append(f"appointment year {year} is before the first PPPK intake (2019)")
    if year > today.year:
        warnings.append(f"appointment year {year} is in the future")
    if int(number[12:14]) < 21:
        warnings.append(f"digits 13-14 ({number[12:14]}) are below 21")
    _check_age(born, year, today, warnings)
    gender = _gender(number[14], warnings)
    if number[15:18] == "000":
        warnings.append("serial number 000 is not issued")
    return ParsedNip(number, "NI PPPK", born, number[8:14], gender, number[15:18], warnings)


def format_nip(number: str) -> str:
    """Write an 18-digit NIP the way documents do: ``19860926 201505 1 001``."""
    n = normalise_number(number)
    if len(n) != NIP_LENGTH:
        return n
    return f"{n[0:8]} {n[8:14]} {n[14]} {n[15:18]}"


def mask_nip(number: str) -> str:
    """Hide all but the last four digits (for lists shown to roles without need of the full NIP)."""
    n = normalise_number(number)
    return "•" * max(len(n) - 4, 0) + n[-4:]
