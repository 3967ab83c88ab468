"""Opt-out rules: the deadline's end, and monthly rates from transitions (a message's timing is
stored with it:
tests/data_access/test_opt_out_sends.py).

The rates are checked against a brute-force replay of each person's history at every month end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.rules.deadlines import optout_deadline
from dashboard.rules.optout_timing import monthly_rates

RECEIVED = datetime(
    2026, 11, 20, 15, tzinfo=UTC
)  # Friday; CAN-SPAM honour_by is Mon 7 Dec (Thanksgiving skipped)


def test_deadline_ends_at_the_end_of_honour_by_in_the_controllers_zone() -> None:
    deadline = optout_deadline("can-spam", RECEIVED, tz="America/New_York")
    assert deadline.honour_by == date(2026, 12, 7)
    assert deadline.ends_at == datetime(2026, 12, 8, 5, tzinfo=UTC)  # midnight EST is 05:00 UTC


MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]
STATUSES = ["opted_in", "opted_out"]
histories = st.lists(
    st.lists(st.tuples(st.integers(0, len(MONTHS) - 1), st.sampled_from(STATUSES)), max_size=5),
    min_size=0,
    max_size=25,
)


def _transitions(people: list[list[tuple[int, str]]]) -> pd.DataFrame:
    rows = []
    for events in people:
        previous = "none"
        for month, status in sorted(events, key=lambda e: e[0]):
            rows.append({"month": MONTHS[month], "from_status": previous, "to_status": status, "people": 1})
            previous = status
    frame = pd.DataFrame(rows, columns=["month", "from_status", "to_status", "people"])
    return frame.groupby(["month", "from_status", "to_status"], as_index=False)["people"].sum()


def _state_at_end(events: list[tuple[int, str]], month: int) -> str | None:
    upto = [status for m, status in sorted(events, key=lambda e: e[0]) if m <= month]
    return upto[-1] if upto else None


@settings(max_examples=150, deadline=None)
@given(histories, st.integers(0, len(MONTHS) - 1))
def test_monthly_rates_equal_a_replay_of_every_persons_history(
    people: list[list[tuple[int, str]]], shown_from: int
) -> None:
    rates = monthly_rates(_transitions(people), MONTHS[shown_from:]).set_index("month")
    for index in range(shown_from, len(MONTHS)):
        states = [_state_at_end(events, index) for events in people]
        opted_out, opted_in = states.count("opted_out"), states.count("opted_in")
        row = rates.loc[MONTHS[index]]
        assert (row["opted_out"], row["opted_in"], row["reachable"]) == (
            opted_out,
            opted_in,
            opted_in + opted_out,
        )
        expected_rate = opted_out / (opted_in + opted_out) if opted_in + opted_out else None
        assert pd.isna(row["opt_out_rate"]) if expected_rate is None else row["opt_out_rate"] == expected_rate
        new = sum(
            1 for events in people for m, status in _changes(events) if m == index and status == "opted_out"
        )
        base = [_state_at_end(events, index - 1) for events in people].count("opted_in") if index else 0
        assert (row["new_opt_outs"], row["base_at_start"]) == (new, base)


def _changes(events: list[tuple[int, str]]) -> list[tuple[int, str]]:
    changes, previous = [], None
    for month, status in sorted(events, key=lambda e: e[0]):
        if status != previous:
            changes.append((month, status))
        previous = status
    return changes
