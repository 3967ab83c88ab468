"""How numbers look on every page."""

from __future__ import annotations

from dashboard.privacy.suppression import WITHHELD


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def count(value: int | None) -> str:
    """A count; None is a count of 1-4 people withheld from executives (privacy.suppression)."""
    return WITHHELD if value is None else f"{value:,}"


def hours(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"
