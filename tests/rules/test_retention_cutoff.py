"""Retention periods: calendar months clamped at a month's end, days and minutes exact; rules parsed
or refused naming the key (dashboard.rules.retention, docs/retention.md)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.field_error import FieldError
from dashboard.rules.retention import Period, cutoff, months_before, parse_period, parse_rule

moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
)


@pytest.mark.parametrize(
    ("now", "period", "expected"),
    [
        (datetime(2026, 3, 31, 9, 30, tzinfo=UTC), "13 months", datetime(2025, 2, 28, 9, 30, tzinfo=UTC)),
        (
            datetime(2026, 3, 31, tzinfo=UTC),
            "25 months",
            datetime(2024, 2, 29, tzinfo=UTC),
        ),  # a leap year's February
        (datetime(2028, 2, 29, tzinfo=UTC), "7 years", datetime(2021, 2, 28, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), "1 month", datetime(2025, 12, 15, tzinfo=UTC)),
        (datetime(2026, 3, 1, tzinfo=UTC), "30 days", datetime(2026, 1, 30, tzinfo=UTC)),
        (datetime(2026, 3, 1, tzinfo=UTC), "90 minutes", datetime(2026, 2, 28, 22, 30, tzinfo=UTC)),
    ],
)
def test_cutoffs_at_the_month_ends(now: datetime, period: str, expected: datetime) -> None:
    assert cutoff(now, parse_period(period)) == expected


@given(moments, st.integers(min_value=1, max_value=240))
def test_months_back_keep_the_day_unless_the_month_is_shorter(now: datetime, months: int) -> None:
    back = months_before(now, months)
    assert (now.year * 12 + now.month) - (back.year * 12 + back.month) == months
    assert back.day == min(now.day, calendar.monthrange(back.year, back.month)[1])
    assert back.time() == now.time() and back.tzinfo == now.tzinfo


@given(moments, moments, st.sampled_from(["30 days", "13 months", "25 months", "7 years", "90 minutes"]))
def test_a_later_moment_never_has_an_earlier_cutoff(a: datetime, b: datetime, text: str) -> None:
    early, late = sorted((a, b))
    period = parse_period(text)
    assert cutoff(early, period) <= cutoff(late, period) < late


@given(moments, st.integers(min_value=1, max_value=4000))
def test_days_are_exact(now: datetime, days: int) -> None:
    assert now - cutoff(now, Period(days, "days")) == timedelta(days=days)


def test_a_rule_parses_and_a_bad_one_names_its_key() -> None:
    rule = parse_rule(
        {"period": "13 months", "runs_from": "collection", "action": "delete", "holds": ["litigation"]}
    )
    assert (rule.period, rule.runs_from, rule.action, rule.holds, rule.purged) == (
        Period(13, "months"),
        "collection",
        "delete",
        ("litigation",),
        True,
    )
    assert not parse_rule({"period": "6 years", "runs_from": "collection", "action": "review"}).purged
    for bad, key in [
        ({"period": "13 moons", "runs_from": "collection", "action": "delete"}, "period"),
        ({"period": "0 days", "runs_from": "collection", "action": "delete"}, "period"),
        ({"period": "1 day", "runs_from": "birthday", "action": "delete"}, "runs_from"),
        ({"period": "1 day", "runs_from": "collection", "action": "burn"}, "action"),
        ({"period": "1 day", "runs_from": "collection", "action": "delete", "holds": ["whim"]}, "holds"),
        ({"runs_from": "collection", "action": "delete"}, "period"),
        ({"period": "1 day", "runs_from": "collection", "action": "delete", "until": "x"}, "until"),
        (None, "retention_rule"),
    ]:
        with pytest.raises(FieldError) as error:
            parse_rule(bad)
        assert error.value.field == key, bad
