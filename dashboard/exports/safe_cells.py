"""Neutralising spreadsheet formula injection in every export (OWASP 'CSV Injection').

A cell that begins with = + - @, a tab or a carriage return is prefixed with a single quote,
so spreadsheet programs show it as text instead of evaluating it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot be evaluated as formulas."""
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe


def to_safe_csv(df: pd.DataFrame) -> bytes:
    return neutralise_frame(df).to_csv(index=False).encode("utf-8")
