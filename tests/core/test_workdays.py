"""Working-day arithmetic: weekends, holidays, both directions, and agreement between add and between."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.case_rules import calendar
from core.settings import Settings
from core.workdays import WorkCalendar

CAL = WorkCalendar.of([date(2024, 11, 27), date(2024, 12, 25)])  # Pilkada voting day, Christmas


def test_add_skips_weekends_and_holidays() -> None:
    # Friday 22 Nov 2024 + 3 working days: Mon 25, Tue 26, (Wed 27 holiday) Thu 28.
    assert CAL.add(date(2024, 11, 22), 3) == date(2024, 11, 28)
    assert CAL.add(date(2024, 11, 22), 1) == date(2024, 11, 25)


def test_add_zero_moves_off_a_non_working_day() -> None:
    assert CAL.add(date(2024, 11, 23), 0) == date(2024, 11, 25)  # Saturday → Monday
    assert CAL.add(date(2024, 11, 26), 0) == date(2024, 11, 26)


def test_add_backwards() -> None:
    assert CAL.add(date(2024, 11, 28), -1) == date(2024, 11, 26)


def test_fourteen_working_days_over_christmas() -> None:
    # SK handed over within 14 working days of 16 Dec 2024 (Christmas is skipped).
    assert CAL.add(date(2024, 12, 16), 14) == date(2025, 1, 6)


def test_between_matches_add() -> None:
    start = date(2024, 11, 1)
    for n in range(0, 60):
        end = CAL.add(start, n)
        assert CAL.between(start, end) == n, (n, end)
    assert CAL.between(date(2024, 11, 28), date(2024, 11, 22)) == -3


def test_between_counts_weekends_and_holidays_by_brute_force() -> None:
    start = date(2024, 10, 3)
    for span in range(0, 120, 7):
        end = start + timedelta(days=span)
        expected = sum(1 for i in range(1, span + 1) if CAL.is_workday(start + timedelta(days=i)))
        assert CAL.between(start, end) == expected


def test_calendar_from_settings_uses_configured_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_HOLIDAYS", '["2030-01-02"]')
    monkeypatch.setenv("NETRAL_WEEKEND_DAYS", "[6]")
    s = Settings()
    cal = WorkCalendar.of(s.holidays, s.weekend_days)
    assert cal.add(date(2030, 1, 1), 1) == date(2030, 1, 3)  # 2 Jan is a holiday
    assert cal.is_workday(date(2030, 1, 5))  # Saturday works with a one-day weekend


def test_default_holidays_include_voting_day() -> None:
    assert date(2024, 11, 27) in Settings().holidays


def test_all_weekend_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar.of([], range(7)).add(date(2024, 1, 1), 1)


def test_configured_calendar_counts_indonesian_public_holidays_of_any_year() -> None:
    # 17 Aug 2026 (Independence Day, a Monday) and 16 Jan 2026 (Isra' Mi'raj, a Friday) are in no settings list.
    cal = calendar(Settings())
    assert (cal.add(date(2026, 8, 14), 1), cal.add(date(2026, 1, 15), 1)) == (date(2026, 8, 18), date(2026, 1, 19))


def test_extra_days_from_settings_count_on_top_of_public_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_HOLIDAYS", '["2026-08-18"]')  # a cuti bersama after Independence Day
    assert calendar(Settings()).add(date(2026, 8, 14), 1) == date(2026, 8, 19)


def test_between_agrees_with_add_across_public_holidays() -> None:
    cal = calendar(Settings())
    start = date(2026, 3, 13)  # Day of Silence (19 Mar) and Eid al-Fitr inside the span
    assert [cal.between(start, cal.add(start, n)) for n in range(12)] == list(range(12))
