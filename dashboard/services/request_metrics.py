"""Request KPIs: time to close by type and regime, and the yearly CCPA metrics (11 CCR 7102).

The database returns one narrow row per answered request; medians and 90th percentiles are taken
here because SQLite has no percentile function. Answered requests number thousands a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.rules.request_workflow import answered_late
from data_access.queries.requests import closing_times, received_requests

# 11 CCR 7102(a)(1): requests to know, delete, correct and opt out of sale/sharing.
CCPA_CATEGORIES = {
    "access": "to know",
    "portability": "to know",
    "deletion": "to delete",
    "correction": "to correct",
    "opt-out-sale": "to opt out of sale/sharing",
}
DENIED = ("rejected", "closed_unverified")


def closing_statistics(closing: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Answered requests per group: count, median and 90th-percentile days to close, share answered
    on time."""
    columns = [*by, "answered", "median_days", "p90_days", "on_time_share"]
    if closing.empty:
        return pd.DataFrame(columns=columns)
    closed_on = pd.to_datetime(closing["closed_at"], utc=True).dt.date
    due_by = pd.to_datetime(closing["effective_due"]).dt.date
    frame = closing.assign(on_time=[not answered_late(d, c) for d, c in zip(due_by, closed_on, strict=True)])
    grouped = frame.groupby(list(by), sort=True)
    table = grouped.agg(
        answered=("days_to_close", "size"),
        median_days=("days_to_close", "median"),
        on_time_share=("on_time", "mean"),
    )
    table["p90_days"] = grouped["days_to_close"].quantile(0.9)
    return table.reset_index()[columns].round({"median_days": 1, "p90_days": 1, "on_time_share": 3})


def closing_by(*, session: Session, since: datetime, until: datetime, by: tuple[str, ...]) -> pd.DataFrame:
    return closing_statistics(closing_times(session=session, since=since, until=until), by)


def ccpa_yearly_metrics(*, session: Session, year: int) -> pd.DataFrame:
    """Per CCPA request category, for requests received in `year`: received, complied with in whole or in
    part, denied, still open, and the median days to respond (answered requests only)."""
    since, until = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = received_requests(session=session, since=since, until=until, regime="ccpa")
    rows = rows[rows["request_type"].isin(list(CCPA_CATEGORIES))].assign(
        category=lambda f: f["request_type"].map(CCPA_CATEGORIES)
    )
    table = []
    for category in dict.fromkeys(CCPA_CATEGORIES.values()):
        part = rows[rows["category"] == category]
        answered = part[part["status"].isin(["completed", *DENIED])]
        table.append(
            {
                "category": category,
                "received": len(part),
                "complied_in_whole_or_part": int((part["status"] == "completed").sum()),
                "denied": int(part["status"].isin(DENIED).sum()),
                "open": int(len(part) - len(answered)),
                "median_days_to_respond": None
                if answered.empty
                else round(float(answered["days_to_close"].median()), 1),
            }
        )
    return pd.DataFrame(table)
