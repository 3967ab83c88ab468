"""How numbers, dates and empty cells look on every page (one format each, so no page invents its own)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from dashboard.privacy.presentation import WITHHELD

EMPTY = "—"  # an empty cell: never "None" or "nan", which read as data
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M UTC"  # every moment is shown in UTC and says so
DATE_FORMAT = "%Y-%m-%d"  # a calendar day (a deadline, a contract date) has no time zone to name
MONTH_FORMAT = "%b %Y"  # a month as `Aug 2026`, never `26-08`
MS_PER_HOUR = 3_600_000


def is_empty(value: Any) -> bool:
    """None, NaN, NaT and pandas' NA alike (a list or array is never empty here: it is a value)."""
    if value is None:
        return True
    if isinstance(value, str) or not pd.api.types.is_scalar(value):
        return False
    return bool(pd.isna(value))


def percent(value: float | None) -> str:
    return EMPTY if value is None or is_empty(value) else f"{value:.1%}"


def count(value: int | None) -> str:
    """A count; None is a count of 1-4 people withheld from executives (privacy.presentation)."""
    return WITHHELD if value is None else f"{value:,}"


def days_overdue(value: Any) -> str:
    """Days past a due date as every page and report words them: `67 days overdue`, `1 day overdue`
    (the days come from rules.request_workflow.days_overdue); nothing overdue as EMPTY."""
    if is_empty(value) or isinstance(value, str):
        return EMPTY if is_empty(value) else value
    days = int(value)
    return f"{days:,} day{'' if days == 1 else 's'} overdue"


def month(value: Any) -> str:
    """A calendar month as `Aug 2026` (a `2026-08` key, a date or a moment); anything else as written."""
    if is_empty(value):
        return EMPTY
    try:
        return pd.Period(str(value)[:7] if isinstance(value, str) else value, freq="M").strftime(MONTH_FORMAT)
    except (ValueError, TypeError):
        return str(value)


def hours(value: float | None) -> str:
    if value is None or is_empty(value):
        return EMPTY
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def timestamp(value: Any) -> str:
    """A moment as `2026-10-25 12:00 UTC` (a naive one is taken as UTC, as the database stores
    them); a bare date as `2026-10-25`; nothing as EMPTY."""
    return _calendar(value, TIMESTAMP_FORMAT)


def day(value: Any) -> str:
    """A calendar day as `2026-10-25` (a moment is cut to its UTC day)."""
    return _calendar(value, DATE_FORMAT)


def _calendar(value: Any, moment_format: str) -> str:
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value)
        except ValueError:
            return value
    if is_empty(value):
        return EMPTY
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime(moment_format)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return str(value)


def ms_to_hours(value: Any) -> float | None:
    """Milliseconds (as usage events record durations) in hours, the unit a reader can picture."""
    return None if is_empty(value) else float(value) / MS_PER_HOUR


def from_cents(value: Any) -> float | None:
    """An amount stored in hundredths (9900) in units (99.0); a number written as text is read as one."""
    if is_empty(value):
        return None
    try:
        return float(value) / 100
    except (TypeError, ValueError):
        return None


def number(value: Any, fmt: str = "{:,.0f}") -> str:
    """A number as text for a column that also holds withheld ("<5") or missing values."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, str):
        return value
    return fmt.format(value)


def names(values: Any, name_of: Callable[[str], str]) -> str:
    """One code or a list of codes, each by its name, comma-separated; nothing as EMPTY."""
    if is_empty(values):
        return EMPTY
    items: Iterable[Any] = [values] if isinstance(values, str) else list(values)
    shown = [name_of(str(v)) for v in items if not is_empty(v)]
    return ", ".join(shown) if shown else EMPTY


def words(value: Any) -> str:
    """A stored code such as `in_progress` as the words it stands for (`in progress`)."""
    return EMPTY if is_empty(value) else str(value).replace("_", " ")


def text(value: Any) -> str:
    """Any other cell: as written, or EMPTY."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or EMPTY
    if not isinstance(value, str) and not pd.api.types.is_scalar(value):
        return ", ".join(str(v) for v in value) or EMPTY
    return str(value)
