"""Notice periods on the official calendar, from real notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.checks.workdays import Calendar, period_problem
from site_builder.model.config import YearCalendar

D = dt.date


def days(start: dt.date, end: dt.date) -> int:
    period, problem = period_problem(Calendar(), start, end, None, 1)
    assert problem is None and period is not None
    return period.working_days


def test_national_day_2024_counts_the_worked_saturday() -> None:
    assert days(D(2024, 10, 1), D(2024, 10, 14)) == 6  # Saturday 10-12 was a working day


def test_dragon_boat_2022() -> None:
    assert days(D(2022, 6, 1), D(2022, 6, 10)) == 7  # 06-03 端午 off


def test_spring_festival_2024_worked_sunday() -> None:
    assert days(D(2024, 1, 31), D(2024, 2, 5)) == 5  # only because Sunday 02-04 was worked


def test_working_days_give_the_end_date() -> None:
    period, _ = period_problem(Calendar(), D(2024, 9, 30), None, 5, 5)
    assert period is not None
    # 9-30, then 10-8 … 10-11: the first day counts, as notices are written
    assert period.end == D(2024, 10, 11)
    # the Civil Code way (start day not counted) ends on the worked Saturday 10-12
    period, _ = period_problem(Calendar(), D(2024, 9, 30), None, 5, 5, start_counts=False)
    assert period is not None and period.end == D(2024, 10, 12)


def test_too_short_names_the_earliest_valid_end() -> None:
    _, problem = period_problem(Calendar(), D(2024, 9, 30), D(2024, 10, 9), None, 5)
    assert problem is not None
    assert "只有 3 个工作日" in problem[1] and "2024-10-11" in problem[2]


def test_end_before_start() -> None:
    _, problem = period_problem(Calendar(), D(2024, 4, 3), D(2024, 3, 28), None, 5)
    assert problem is not None and "早于" in problem[1]


def test_declared_2027() -> None:
    year = YearCalendar(holidays=[D(2027, 10, d) for d in range(1, 8)], workdays=[D(2027, 10, 9)])
    cal = Calendar({2027: year})
    period, problem = period_problem(cal, D(2027, 9, 30), D(2027, 10, 12), None, 5)
    assert problem is None and period is not None
    # 9-30 (Thu), 10-8 (Fri), 10-9 (Sat, adjusted), 10-11, 10-12
    assert period.working_days == 5


def test_undeclared_2027_says_what_to_add() -> None:
    _, problem = period_problem(Calendar(), D(2027, 3, 1), None, 5, 5)
    assert problem is not None and problem[0] == "calendar"
    assert "2027" in problem[1] and "日历" in problem[2]


def test_installed_calendar_reaches_the_year_we_promise() -> None:
    """pyproject's chinesecalendar floor and README's promise both name CALENDAR_LAST_YEAR."""
    import chinese_calendar

    from site_builder.checks.workdays import CALENDAR_LAST_YEAR

    assert CALENDAR_LAST_YEAR >= 2026
    for day in (D(CALENDAR_LAST_YEAR, 1, 1), D(CALENDAR_LAST_YEAR, 12, 31)):
        chinese_calendar.is_workday(day)  # raises NotImplementedError for a year it lacks
    assert not Calendar().is_workday(D(CALENDAR_LAST_YEAR, 1, 1))  # 元旦
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert f"收录到 {CALENDAR_LAST_YEAR} 年" in readme
