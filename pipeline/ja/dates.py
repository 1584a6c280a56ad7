"""Calendar arithmetic for Japanese dates: eras, fiscal years, partial dates and periods.

Pure functions over plain values; the era table comes from ``rules/dates.yaml``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    name: str
    abbreviations: tuple[str, ...]
    first_year: int  # Western year of the era's year 1 (元年)


@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, a month or a day; ``fiscal`` marks a 年度 (fiscal year)."""

    year: int
    month: int | None = None
    day: int | None = None
    fiscal: bool = False

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self, fy_start_month: int = 4) -> date:
        if self.fiscal:
            return date(self.year, fy_start_month, 1)
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self, fy_start_month: int = 4) -> date:
        if self.fiscal:
            return fiscal_year_end(self.year, fy_start_month)
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def is_valid(self) -> bool:
        try:
            self.first_day()
            self.last_day()
        except ValueError:
            return False
        return 1 <= self.year <= 9999


def era_year(era: Era, year_in_era: int) -> int:
    """Western year of ``year_in_era`` of ``era`` (year 1 is 元年)."""
    return era.first_year + year_in_era - 1


def fiscal_year_end(year: int, fy_start_month: int = 4) -> date:
    """Last day of the fiscal year that starts in ``year`` (Japanese FY: April to March)."""
    if fy_start_month == 1:
        return date(year, 12, 31)
    end_month = fy_start_month - 1
    return date(year + 1, end_month, calendar.monthrange(year + 1, end_month)[1])


def period_value(start: PartialDate, end: PartialDate | None, fy_start_month: int = 4) -> str:
    """ISO 8601 interval ``START/END`` with ``..`` for an open end."""
    left = start.first_day(fy_start_month).isoformat()
    right = ".." if end is None else end.last_day(fy_start_month).isoformat()
    return f"{left}/{right}"


def inherit(left: PartialDate, year: int | None, month: int | None, day: int | None,
            fiscal: bool) -> PartialDate:
    """Complete the right side of a range from its left side (``6月20日～21日``: year and month)."""
    y = year if year is not None else left.year
    m = month
    if m is None and year is None and day is not None:
        m = left.month
    return PartialDate(y, m, day, fiscal)


def fiscal_month(fiscal_year: int, month: int, fy_start_month: int = 4) -> int:
    """Calendar year of ``month`` within a fiscal year (令和2年度1月 is January 2021)."""
    return fiscal_year + 1 if month < fy_start_month else fiscal_year


def decade_period(year: int) -> str:
    """``1990`` (1990年代) -> ``1990-01-01/1999-12-31``; an era decade (昭和40年代) starts at its year."""
    return f"{date(year, 1, 1).isoformat()}/{date(year + 9, 12, 31).isoformat()}"
