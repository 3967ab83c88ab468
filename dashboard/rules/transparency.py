"""The half-yearly transparency report on requests from authorities, in the shape public reports use
(as Google's and Apple's do: period, legal process, requests, accounts specified, share with some data).

National security process (national security letters and FISA orders) may only be reported in the bands
50 U.S.C. 1874(a) allows; we use its option (a)(3): all such process combined, half-yearly, in bands of 250
starting with 0-249, requests and customer selectors (accounts) alike. Its exact counts never leave
this module.
Every export reports it this way, for every role; only a manager's register on the Legal page (of those who
answer such requests: the `legal.national_security.view` action) lists them one by one. See
docs/transparency-report.md.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from data_access.models.enums import LegalRequestType

COLUMNS = [
    "period",
    "period_start",
    "period_end",
    "legal_process",
    "requests",
    "accounts_specified",
    "all_data_produced",
    "some_data_produced",
    "no_data_produced",
    "pending",
    "percentage_some_data_produced",
]

NATIONAL_SECURITY = LegalRequestType.NATIONAL_SECURITY.value
NATIONAL_SECURITY_BAND = 250  # 50 U.S.C. 1874(a)(3)(A) and (B): bands of 250 starting with 0-249
# 50 U.S.C. 1874(b)(1)(B): FISA figures only for a period ending at least 180 days before
# publication. We do not record whether a national security request was a letter or a FISA order, so
# the stricter delay holds for all.
NATIONAL_SECURITY_DELAY = timedelta(days=180)
NATIONAL_SECURITY_BASIS = (
    "50 U.S.C. 1874(a)(3): all national security process combined, per half-year, "
    "in bands of 250; exact numbers may not be published"
)
NATIONAL_SECURITY_WITHHELD = "[withheld: national security process, reported only in bands]"
NATIONAL_SECURITY_COLUMNS = [
    "period",
    "period_start",
    "period_end",
    "national_security_requests",
    "accounts_specified",
    "publishable_from",
    "basis",
]


def without_national_security(frame: pd.DataFrame) -> pd.DataFrame:
    """A register of requests from authorities without its national security process, for whoever may know it
    only in bands (national_security_report)."""
    if frame.empty or "request_type" not in frame.columns:
        return frame
    return frame[frame["request_type"] != NATIONAL_SECURITY].reset_index(drop=True)


def withhold_national_security_entries(entries: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """Audit entries with the details of those about a national security request (`ids`) withheld:
    they record its type and accounts. The entries stay, so the trail reads whole and its hashes can
    be checked against the log."""
    if entries.empty or not {"object_type", "object_id", "details"} <= set(entries.columns):
        return entries
    about = (entries["object_type"] == "legal_request") & entries["object_id"].astype(str).isin(ids)
    if not about.any():
        return entries
    withheld = entries.copy()
    withheld["details"] = withheld["details"].astype(object)
    withheld.loc[about, "details"] = NATIONAL_SECURITY_WITHHELD
    return withheld


def half_year(moment: datetime) -> tuple[str, date, date]:
    first = moment.month <= 6
    return (
        f"{moment.year}-H{1 if first else 2}",
        date(moment.year, 1 if first else 7, 1),
        date(moment.year, 6, 30) if first else date(moment.year, 12, 31),
    )


def count_band(count: int, width: int = NATIONAL_SECURITY_BAND) -> str:
    """The band a count falls in ('0-249', '250-499', ...): zero reads the same as 249, as the
    statute intends."""
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    low = count // width * width
    return f"{low}-{low + width - 1}"


def _with_periods(rows: pd.DataFrame) -> pd.DataFrame:
    periods = [half_year(pd.Timestamp(ts).to_pydatetime()) for ts in rows["received_at"]]
    return rows.assign(
        period=[p[0] for p in periods],
        period_start=[p[1] for p in periods],
        period_end=[p[2] for p in periods],
    )


def transparency_report(rows: pd.DataFrame) -> pd.DataFrame:
    """rows: received_at, request_type, outcome, accounts (one per request) -> one row per half-year
    and process.

    National security process is left out here: it is reported only in bands (national_security_report).
    """
    rows = rows[rows["request_type"] != NATIONAL_SECURITY] if not rows.empty else rows
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = _with_periods(rows)
    for outcome in ("all", "some", "none", "pending"):
        frame[outcome] = (frame["outcome"] == outcome).astype(int)
    report = (
        frame.groupby(["period", "period_start", "period_end", "request_type"], as_index=False)
        .agg(
            requests=("outcome", "size"),
            accounts_specified=("accounts", "sum"),
            all_data_produced=("all", "sum"),
            some_data_produced=("some", "sum"),
            no_data_produced=("none", "sum"),
            pending=("pending", "sum"),
        )
        .rename(columns={"request_type": "legal_process"})
    )
    produced = report["all_data_produced"] + report["some_data_produced"]
    report["percentage_some_data_produced"] = (100 * produced / report["requests"]).round(1)
    return report[COLUMNS].sort_values(["period", "legal_process"]).reset_index(drop=True)


def national_security_report(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per half-year from the first request of any kind to the last, national security
    process in bands.

    Every half-year is listed, those with none too: a half-year left out, or one reading '0', would tell what
    the bands exist to hide. Outcomes are not reported for this process.
    """
    if rows.empty:
        return pd.DataFrame(columns=NATIONAL_SECURITY_COLUMNS)
    frame = _with_periods(rows)
    security = frame[frame["request_type"] == NATIONAL_SECURITY]
    requests = security.groupby("period").size()
    accounts = security.groupby("period")["accounts"].sum()
    out = []
    start, last = frame["period_start"].min(), frame["period_start"].max()
    while start <= last:
        period, first_day, last_day = half_year(datetime(start.year, start.month, 1))
        out.append(
            {
                "period": period,
                "period_start": first_day,
                "period_end": last_day,
                "national_security_requests": count_band(int(requests.get(period, 0))),
                "accounts_specified": count_band(int(accounts.get(period, 0))),
                "publishable_from": last_day + NATIONAL_SECURITY_DELAY,
                "basis": NATIONAL_SECURITY_BASIS,
            }
        )
        start = date(start.year + (start.month == 7), 1 if start.month == 7 else 7, 1)
    return pd.DataFrame(out, columns=NATIONAL_SECURITY_COLUMNS)
