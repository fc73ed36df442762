"""Year-month values as officers write them on the forms: 1990.5, 1990.05, 1990年5月, 1990-05."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from ..errors import FieldError

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
_YM = re.compile(r"^(\d{4})\s*(?:[.\-/年]\s*(\d{1,2})\s*月?(?:\s*[.\-/]?\s*(\d{1,2})\s*日?)?)?$")


class YearMonth(NamedTuple):
    """A month of a year; the forms never ask for the day."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


def parse_year_month(value: Any) -> YearMonth:
    """Accept the spellings found on real forms; raise FieldError with the fix otherwise."""
    if isinstance(value, YearMonth):
        return value
    if isinstance(value, dt.date):
        return YearMonth(value.year, value.month)
    text = str(value).strip().translate(_FULLWIDTH)
    m = _YM.match(text)
    if not m and re.fullmatch(r"\d{6}", text):  # 199005
        year, month = int(text[:4]), int(text[4:])
    elif m:
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else 0
        if month == 0:
            raise FieldError(f"“{value}”缺少月份", "请写成“1990.05”或“1990年5月”")
    else:
        raise FieldError(f"无法识别的年月“{value}”", "请写成“1990.05”或“1990年5月”")
    if not 1 <= month <= 12:
        raise FieldError(f"月份“{month}”不存在", "月份应为 1 到 12")
    if not 1900 <= year <= 2100:
        raise FieldError(f"年份“{year}”不合理", "请写四位年份，例如 1990")
    return YearMonth(year, month)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_period(start: dt.date, end: dt.date) -> str:
    """2024年3月28日至4月3日 — the year (and month) are not repeated when unchanged."""
    if start.year != end.year:
        tail = chinese_date(end)
    elif start.month != end.month:
        tail = f"{end.month}月{end.day}日"
    else:
        tail = f"{end.day}日"
    return f"{chinese_date(start)}至{tail}"


def full_years_between(since: YearMonth, on: dt.date) -> int:
    months = (on.year - since.year) * 12 + (on.month - since.month)
    return months // 12
