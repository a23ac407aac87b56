"""Working-day arithmetic for due-process deadlines (domain.md §3: deadlines count working days).

A working day is a weekday that is neither a public holiday of the configured country (the ``holidays``
package: Indonesia's statutory holidays, moving feasts included, for any year) nor one of the extra days
from the settings (``NETRAL_HOLIDAYS``: *cuti bersama* decreed each year by the SKB 3 Menteri and regional
days the package cannot know).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays as holiday_package


@lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of ``country`` (ISO code, e.g. ``"ID"``) in ``year``, from the ``holidays`` package."""
    return frozenset(holiday_package.country_holidays(country, years=year).keys())


@dataclass(frozen=True)
class WorkCalendar:
    """Weekend weekdays (Monday = 0), extra holiday dates and the country whose public holidays count.

    ``country`` empty means only the extra dates count (a calendar for tests or another jurisdiction)."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({5, 6})
    country: str = ""

    @classmethod
    def of(cls, holidays: Iterable[date], weekend: Iterable[int] = (5, 6), country: str = "") -> WorkCalendar:
        """Build a calendar from plain iterables (e.g. the settings' lists)."""
        return cls(frozenset(holidays), frozenset(weekend), country)

    def days_off(self, start: date, end: date) -> frozenset[date]:
        """Every holiday (public and extra) from ``start`` to ``end`` inclusive."""
        public: set[date] = set()
        if self.country:
            for year in range(start.year, end.year + 1):
                public |= public_holidays(self.country, year)
        return frozenset(d for d in public | self.holidays if start <= d <= end)

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a public holiday of the country or one of the extra days."""
        return day in self.holidays or (bool(self.country) and day in public_holidays(self.country, day.year))

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        return day.weekday() not in self.weekend and not self.is_holiday(day)

    def add(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself is not counted).

        ``add(d, 0)`` is ``d`` when it is a working day, otherwise the next working day, so a deadline
        never falls on a holiday. Negative ``days`` count backwards.
        """
        if len(self.weekend) >= 7:
            raise ValueError("a calendar needs at least one working weekday")
        step = 1 if days >= 0 else -1
        current = start
        remaining = abs(days)
        if remaining == 0:
            while not self.is_workday(current):
                current += timedelta(days=1)
            return current
        while remaining:
            current += timedelta(days=step)
            if self.is_workday(current):
                remaining -= 1
        return current

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

        This is the age of something that began on ``start`` as seen on ``end``: 0 on the same day,
        1 on the next working day.
        """
        if end < start:
            return -self.between(end, start)
        total_days = (end - start).days
        weeks, rest = divmod(total_days, 7)
        count = weeks * (7 - len(self.weekend))
        day = start + timedelta(days=weeks * 7)
        for _ in range(rest):
            day += timedelta(days=1)
            if day.weekday() not in self.weekend:
                count += 1
        count -= sum(1 for h in self.days_off(start + timedelta(days=1), end) if h.weekday() not in self.weekend)
        return count
