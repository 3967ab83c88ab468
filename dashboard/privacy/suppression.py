"""Small-count suppression for executives: a group of fewer than five people is not shown.

A count of 1-4 could single someone out when combined with other facts; 0 reveals nobody and
is kept. Suppressed cells become None and the frame says so in `attrs["suppressed"]`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

MIN_GROUP_SIZE = 5


def suppress_count(n: int | None, min_size: int = MIN_GROUP_SIZE) -> int | None:
    if n is None or 0 < n < min_size:
        return None
    return n


def suppress_small_counts(df: pd.DataFrame, count_columns: Sequence[str],
                          min_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    result = df.copy()
    suppressed = False
    for column in count_columns:
        small = result[column].notna() & (result[column] > 0) & (result[column] < min_size)
        if small.any():
            suppressed = True
            result[column] = result[column].astype(object).where(~small, None)
    result.attrs["suppressed"] = suppressed
    return result
