"""National security process is reported only in the bands 50 U.S.C. 1874(a)(3) allows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.transparency import count_band, national_security_report, transparency_report


def _rows(*rows: tuple[datetime, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"received_at": at, "request_type": kind, "outcome": outcome, "accounts": accounts}
            for at, kind, outcome, accounts in rows
        ]
    )


ROWS = _rows(
    (datetime(2026, 2, 1, tzinfo=UTC), "national_security", "some", 2),
    (datetime(2026, 3, 1, tzinfo=UTC), "subpoena", "all", 1),
    (datetime(2026, 9, 1, tzinfo=UTC), "subpoena", "none", 1),
    (datetime(2027, 1, 5, tzinfo=UTC), "national_security", "pending", 300),
)


@given(st.integers(min_value=0, max_value=10**6))
def test_a_count_falls_in_the_band_of_250_that_holds_it(count: int) -> None:
    low, high = (int(part) for part in count_band(count).split("-"))
    assert low <= count <= high and high - low == 249 and low % 250 == 0


def test_zero_and_one_read_alike() -> None:
    assert count_band(0) == count_band(1) == count_band(249) == "0-249"
    assert count_band(250) == "250-499"


def test_the_exact_report_leaves_national_security_out() -> None:
    assert "national_security" not in set(transparency_report(ROWS)["legal_process"])


def test_every_half_year_gets_a_banded_national_security_row_even_with_none() -> None:
    report = national_security_report(ROWS).to_dict(orient="records")
    assert [(r["period"], r["national_security_requests"], r["accounts_specified"]) for r in report] == [
        ("2026-H1", "0-249", "0-249"),
        ("2026-H2", "0-249", "0-249"),
        ("2027-H1", "0-249", "250-499"),
    ]
    assert report[0]["publishable_from"] == date(2026, 12, 27)  # 180 days after 30 June
    assert all("1874(a)(3)" in r["basis"] for r in report)


def test_no_rows_no_report() -> None:
    assert national_security_report(_rows()).empty and transparency_report(_rows()).empty
