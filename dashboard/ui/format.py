"""How numbers look on every page."""

from __future__ import annotations


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def count(value: int | None) -> str:
    return "suppressed (<5)" if value is None else f"{value:,}"
