"""The half-yearly transparency report on requests from authorities, in the shape public reports use
(as Google's and Apple's do: period, legal process, requests, accounts specified, share with some data)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

COLUMNS = ["period", "period_start", "period_end", "legal_process", "requests", "accounts_specified",
           "all_data_produced", "some_data_produced", "no_data_produced", "pending",
           "percentage_some_data_produced"]


def half_year(moment: datetime) -> tuple[str, date, date]:
    first = moment.month <= 6
    return (f"{moment.year}-H{1 if first else 2}", date(moment.year, 1 if first else 7, 1),
            date(moment.year, 6, 30) if first else date(moment.year, 12, 31))


def transparency_report(rows: pd.DataFrame) -> pd.DataFrame:
    """rows: received_at, request_type, outcome, accounts (one per request) -> one row per half-year and process."""
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    periods = [half_year(pd.Timestamp(ts).to_pydatetime()) for ts in rows["received_at"]]
    frame = rows.assign(period=[p[0] for p in periods], period_start=[p[1] for p in periods],
                        period_end=[p[2] for p in periods])
    for outcome in ("all", "some", "none", "pending"):
        frame[outcome] = (frame["outcome"] == outcome).astype(int)
    report = (frame.groupby(["period", "period_start", "period_end", "request_type"], as_index=False)
              .agg(requests=("outcome", "size"), accounts_specified=("accounts", "sum"), all_data_produced=("all", "sum"),
                   some_data_produced=("some", "sum"), no_data_produced=("none", "sum"), pending=("pending", "sum"))
              .rename(columns={"request_type": "legal_process"}))
    produced = report["all_data_produced"] + report["some_data_produced"]
    report["percentage_some_data_produced"] = (100 * produced / report["requests"]).round(1)
    return report[COLUMNS].sort_values(["period", "legal_process"]).reset_index(drop=True)
