"""'Now' for pages, rounded to the minute so cached queries keyed on it are reused within a minute."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now_minute() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def today() -> date:
    return now_minute().date()
