"""The request log as exports show it: each request with its effective due date and the days it was overdue
as of the end of the period (or on closing), so a late item reads as late without arithmetic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboard.rules.request_workflow import days_overdue, effective_due


def with_days_overdue(requests: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """`requests`: due_date, extended_due_date, closed_at (None while open at `as_of`)."""
    if requests.empty:
        return requests.assign(effective_due=pd.Series(dtype=object), days_overdue=pd.Series(dtype="Int64"))
    due = [_day(d) for d in requests["due_date"]]
    extended = [_day(d) for d in requests["extended_due_date"]]
    closed = [_day(c) for c in requests["closed_at"]]
    late = [
        days_overdue(d, e, closed_on=c, as_of=as_of) if d else None
        for d, e, c in zip(due, extended, closed, strict=True)
    ]
    dues = pd.Series(
        [effective_due(d, e) if d else None for d, e in zip(due, extended, strict=True)],
        index=requests.index,
        dtype=object,
    )
    return requests.assign(effective_due=dues, days_overdue=pd.array(late, dtype="Int64"))


def _day(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
