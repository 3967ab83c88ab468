"""Small-count suppression for executives: a group of fewer than five people is not shown.

A count of 1-4 could single someone out when combined with other facts; 0 reveals nobody and
is kept. A withheld count reads "<5" everywhere an executive looks: a single figure through `suppress_count`
(None, drawn as "<5" by presentation.format.count), a table's column through
`suppress_small_counts`, whose column then holds the counts as text with "<5" in place of the
withheld ones (a blank or "None" read as zero or as missing data), and the frame says so in
`attrs["suppressed"]`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

MIN_GROUP_SIZE = 5
WITHHELD = f"<{MIN_GROUP_SIZE}"


def suppress_count(n: int | None, min_size: int = MIN_GROUP_SIZE) -> int | None:
    if n is None or 0 < n < min_size:
        return None
    return n


def suppress_small_counts(
    df: pd.DataFrame, count_columns: Sequence[str], min_size: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    result = df.copy()
    suppressed = False
    for column in count_columns:
        small = result[column].notna() & (result[column] > 0) & (result[column] < min_size)
        if small.any():
            suppressed = True
            result[column] = [
                WITHHELD if hide else (None if pd.isna(value) else str(int(value)))
                for value, hide in zip(result[column], small, strict=True)
            ]
    result.attrs["suppressed"] = suppressed
    return result


def gaps_for_small_counts(
    df: pd.DataFrame, count_columns: Sequence[str], min_size: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """For a chart: the same rule, but a withheld count becomes a gap (NaN) in a numeric column, since a chart
    cannot draw "<5"; a hover then shows no figure for it."""
    result = df.copy()
    for column in count_columns:
        values = pd.to_numeric(result[column], errors="coerce").astype(float)
        result[column] = values.where(~((values > 0) & (values < min_size)))
    return result
