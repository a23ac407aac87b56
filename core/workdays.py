"""Working-day arithmetic for due-process deadlines (domain.md §3: deadlines count working days).

A working day is a weekday that is not in the holiday calendar. The calendar comes from the settings
(``NETRAL_HOLIDAYS``, ``NETRAL_WEEKEND_DAYS``) because national holidays and *cuti bersama* are decreed
every year; nothing here is hard-coded beyond the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkCalendar:
    """Weekend weekdays (Monday = 0) and holiday dates."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({5, 6})

    @classmethod
    def of(cls, holidays: Iterable[date], weekend: Iterable[int] = (5, 6)) -> WorkCalendar:
        """Build a calendar from plain iterables (e.g. the settings' lists)."""
        return cls(frozenset(holidays), frozenset(weekend))

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        return day.weekday() not in self.weekend and day not in self.holidays

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
        count -= sum(1 for h in self.holidays if start < h <= end and h.weekday() not in self.weekend)
        return count
