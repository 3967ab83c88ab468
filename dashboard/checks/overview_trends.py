"""The Overview's twelve months for executives: each headline figure per month, and its change from the month
before, so the morning view shows where the posture is going, not only where it is.

Every figure comes from the builder that owns it (the opt-out report, the request closing statistics, the
registers' monthly counts, the kept check verdicts); nothing is recomputed here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext, CheckResult
from dashboard.checks.catalogue import run_checks
from dashboard.rules.optout_timing import rates_by_group
from dashboard.services.optout_report import Period
from dashboard.services.request_metrics import closing_statistics
from data_access.queries.check_history import monthly_checks_passing, record_snapshot
from data_access.queries.optouts import preference_transitions
from data_access.queries.overview import monthly_counts
from data_access.queries.requests import closing_times

TREND_COLUMNS = [
    "month",
    "email_opt_out_rate",
    "sms_opt_out_rate",
    "requests_received",
    "requests_answered",
    "answered_on_time",
    "sharing_records",
    "legal_requests",
    "checks",
    "checks_passing",
]


def monthly_trends(*, session: Session, first: date, last: date, now: datetime) -> pd.DataFrame:
    """One row per month from `first` to `last` (first days; the last may be the month to date),
    TREND_COLUMNS."""
    period = Period(first, last)
    frame = pd.DataFrame({"month": period.months})
    # the opt-out report's rates alone (rules.optout_timing), not the whole report with its honour times
    rates = rates_by_group(
        preference_transitions(session=session, until=min(now, period.until)), period.months, "channel"
    )
    for channel in ("email", "sms"):
        part = rates[rates["channel"] == channel][["month", "opt_out_rate"]]
        frame = frame.merge(
            part.rename(columns={"opt_out_rate": f"{channel}_opt_out_rate"}), on="month", how="left"
        )
    counts = monthly_counts(session=session, since=period.since, until=period.until)
    frame = (
        frame.merge(counts, on="month", how="left")
        if not counts.empty
        else frame.assign(requests_received=0, sharing_records=0, legal_requests=0)
    )
    closing = closing_times(session=session, since=period.since, until=period.until)
    closing = closing.assign(month=pd.to_datetime(closing["closed_at"], utc=True).dt.strftime("%Y-%m"))
    answered = closing_statistics(closing, ["month"])[["month", "answered", "on_time_share"]]
    frame = frame.merge(
        answered.rename(columns={"answered": "requests_answered", "on_time_share": "answered_on_time"}),
        on="month",
        how="left",
    )
    checks = monthly_checks_passing(session=session, since=period.first, until=period.until.date())
    frame = frame.merge(
        checks[["month", "checks", "passing"]].rename(columns={"passing": "checks_passing"}),
        on="month",
        how="left",
    )
    for column in ("requests_received", "requests_answered", "sharing_records", "legal_requests"):
        frame[column] = frame[column].fillna(0).astype(int)
    return frame[TREND_COLUMNS]


def change_since(frame: pd.DataFrame, column: str, month: str) -> tuple[float | None, float | None]:
    """(value in `month`, change from the month before), None where a figure is missing."""
    rows = frame.set_index("month")[column]
    if month not in rows.index:
        return None, None
    position = list(rows.index).index(month)
    value = rows.iloc[position]
    before = rows.iloc[position - 1] if position else None
    value = None if pd.isna(value) else float(value)
    before = None if before is None or pd.isna(before) else float(before)
    return value, (value - before if value is not None and before is not None else None)


def keep_verdicts(*, session: Session, results: list[CheckResult], as_of: date) -> None:
    """Keep the day's verdicts (compliance check, the demo loader) for the trend of checks passing."""
    record_snapshot(
        session=session, as_of=as_of, verdicts=[(r.key, r.passed, len(r.evidence)) for r in results]
    )


def keep_month_end_verdicts(*, session: Session, first: date, end: datetime, tz: str) -> int:
    """Judge the data as of the end of each whole month from `first` to `end` and keep the verdicts: the trend
    of a database loaded in one go (the demo) that no daily `compliance check` has seen. Returns the
    months."""
    month_ends = []
    start = first.replace(day=1)
    while True:
        start = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        close = datetime(start.year, start.month, 1, tzinfo=UTC)
        if close > end:
            break
        month_ends.append(close)
    for close in month_ends:
        results = run_checks(session=session, context=CheckContext(close, tz))
        keep_verdicts(session=session, results=results, as_of=(close - timedelta(days=1)).date())
    return len(month_ends)


def last_complete_month(today: date) -> str:
    first = today.replace(day=1)
    previous = datetime(
        first.year - (first.month == 1), 12 if first.month == 1 else first.month - 1, 1, tzinfo=UTC
    )
    return f"{previous:%Y-%m}"
