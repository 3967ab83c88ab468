"""Days overdue: one rule for the request log of every export."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.request_workflow import days_overdue, effective_due

DUE = date(2026, 11, 5)


def test_a_request_due_on_the_fifth_is_one_day_overdue_on_the_sixth() -> None:
    assert days_overdue(DUE, None, closed_on=None, as_of=date(2026, 11, 5)) is None
    assert days_overdue(DUE, None, closed_on=None, as_of=date(2026, 11, 6)) == 1


def test_an_extension_moves_the_date_it_is_measured_from() -> None:
    assert effective_due(DUE, date(2027, 1, 5)) == date(2027, 1, 5)
    assert days_overdue(DUE, date(2027, 1, 5), closed_on=None, as_of=date(2026, 12, 31)) is None


def test_a_closed_request_is_measured_on_the_day_it_closed_not_later() -> None:
    assert days_overdue(DUE, None, closed_on=date(2026, 11, 8), as_of=date(2026, 12, 31)) == 3
    assert days_overdue(DUE, None, closed_on=date(2026, 11, 4), as_of=date(2026, 12, 31)) is None


@given(st.integers(-400, 400), st.integers(0, 400))
def test_overdue_days_are_positive_or_none_and_grow_with_the_as_of_date(offset: int, later: int) -> None:
    as_of = DUE + timedelta(days=offset)
    first = days_overdue(DUE, None, closed_on=None, as_of=as_of)
    second = days_overdue(DUE, None, closed_on=None, as_of=as_of + timedelta(days=later))
    assert first is None or first > 0
    assert (first or 0) <= (second or 0)
    assert (first is None) == (offset <= 0)
