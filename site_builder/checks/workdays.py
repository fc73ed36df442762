"""Working days on the official Chinese calendar, and the notice period built from them.

``chinesecalendar`` knows the State Council's schedules (holidays and the adjusted
working weekends, 调休) for the years it was released with, and raises for later
years. A campaign may declare a year itself (``日历:`` in campaign.yaml); a declared
year takes precedence, so a correction never needs a package upgrade.

Counting is inclusive of the first day by default, as notices are written
("2024年3月28日至4月3日（5个工作日）"); ``首日计入: 否`` follows the Civil Code's
rule that the day a period starts is not counted (民法典第二百零一条).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import chinese_calendar

from ..errors import UnknownYear
from ..model.config import YearCalendar

ONE_DAY = dt.timedelta(days=1)
# The last year the required chinesecalendar release knows (pyproject.toml, README);
# later years are declared by the campaign under 日历:.
CALENDAR_LAST_YEAR = 2026


class Calendar:
    def __init__(self, declared: Mapping[int, YearCalendar] | None = None) -> None:
        self.declared = dict(declared or {})

    def is_workday(self, day: dt.date) -> bool:
        year = self.declared.get(day.year)
        if year is not None:
            if day in year.workdays:
                return True
            return day.weekday() < 5 and day not in year.holidays
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise UnknownYear(day.year) from None

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days from start to end, both included (adjusted weekends counted)."""
        return [d for d in _days(start, end) if self.is_workday(d)]

    def nth_workday(self, start: dt.date, n: int) -> dt.date:
        """The day on which the n-th working day counted from ``start`` (included) falls."""
        day, seen = start, 0
        while True:
            if self.is_workday(day):
                seen += 1
                if seen == n:
                    return day
            day += ONE_DAY


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


@dataclass(frozen=True)
class Period:
    """A computed notice period."""

    start: dt.date  # first day shown
    end: dt.date
    workdays: tuple[dt.date, ...]  # the counted working days

    @property
    def working_days(self) -> int:
        return len(self.workdays)


def period_problem(
    calendar: Calendar,
    start: dt.date,
    end: dt.date | None,
    working_days: int | None,
    minimum: int,
    start_counts: bool = True,
) -> tuple[Period | None, tuple[str, str, str] | None]:
    """Compute the period, or (None, (field, 问题, 怎么改))."""
    first = start if start_counts else start + ONE_DAY
    try:
        if end is None:
            assert working_days is not None
            if working_days < 1:
                return None, ("working_days", "工作日数应至少为 1", f"请写不少于 {minimum} 的整数")
            end = calendar.nth_workday(first, working_days)
        if end < start:
            return None, (
                "end",
                f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}",
                "请检查两个日期是否写反",
            )
        days = tuple(calendar.workdays(first, end))
        if len(days) < minimum:
            earliest = calendar.nth_workday(first, minimum)
            return None, (
                "end",
                f"公示期 {start.isoformat()} 至 {end.isoformat()} 只有 {len(days)} 个工作日，"
                f"少于规定的 {minimum} 个",
                f"结束日期至少应为 {earliest.isoformat()}（{earliest.month}月{earliest.day}日）",
            )
    except UnknownYear as exc:
        return None, ("calendar", exc.message, exc.fix)
    return Period(start, end, days), None
