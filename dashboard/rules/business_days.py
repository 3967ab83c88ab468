"""Calendars, business days and calendar-month arithmetic for legal deadlines (docs/legal-rules.md).

Holidays come from the `holidays` package per country and subdivision ("US", "GB-ENG", "DE-BE").
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

from dashboard.rules.field_error import FieldError


class DeadlineError(FieldError):
    """Bad input to a deadline computation; `field` names the option or form field at fault."""


@lru_cache(maxsize=64)
def holiday_calendar(code: str) -> holidays.HolidayBase:
    """Holidays of a country ("US") or a subdivision ("GB-ENG"); US federal holidays include observed days."""
    country, _, subdivision = code.strip().upper().partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=range(2000, 2051))
    except (NotImplementedError, KeyError) as exc:
        raise DeadlineError(
            "calendar", f"unknown holiday calendar {code!r} (use e.g. US, GB-ENG, DE, IE)"
        ) from exc


def is_business_day(day: date, cal: holidays.HolidayBase) -> bool:
    """Monday to Friday and not a holiday of the calendar in force."""
    return day.weekday() < 5 and day not in cal


def add_business_days(start: date, n: int, cal: holidays.HolidayBase) -> date:
    """The Nth business day after `start` (counting starts the day after, whatever day `start` is)."""
    if n < 1:
        raise DeadlineError("days", f"business days must be at least 1, not {n}")
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if is_business_day(day, cal):
            counted += 1
    return day


def roll_forward(day: date, cal: holidays.HolidayBase) -> date:
    """A period ending on a non-working day ends on the next working day (Reg. 1182/71 Art. 3(4))."""
    while not is_business_day(day, cal):
        day += timedelta(days=1)
    return day


def add_calendar_months(day: date, months: int) -> date:
    """The same date `months` later; where that date does not exist, the last day of that month
    (GDPR Art. 12(3))."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
