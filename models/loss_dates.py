"""Dates as the fraud data set writes them: month, week of the month and day of the week.

Week of the month is the n-th seven-day stretch of it (days 1-7 are week 1, 29-31 week 5):
the reading of the data set's weeks that fits the most of its rows.
"""

from __future__ import annotations

import calendar
from datetime import date

MONTHS = tuple(calendar.month_abbr)[1:]  # Jan .. Dec
WEEKDAYS = tuple(calendar.day_name)  # Monday .. Sunday


def week_of_month(day: date) -> int:
    """1 for days 1-7 of the month, ..., 5 for days 29-31."""
    return (day.day - 1) // 7 + 1


def date_in_week(year: int, month: int, week: int, weekday: int) -> date:
    """The `weekday` (0 = Monday) of `week` in the month; a fifth week the month lacks falls back to the fourth."""
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (min(max(week, 1), 5) - 1)
    if day > calendar.monthrange(year, month)[1]:
        day -= 7
    return date(year, month, day)
