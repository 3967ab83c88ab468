"""The per-client brake on failed sign-ins: refused after the limit, forgiven as failures age out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dashboard.auth.throttle import FailureThrottle

START = datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_a_client_is_refused_after_the_limit_until_its_oldest_failure_ages_out() -> None:
    throttle = FailureThrottle(limit=3, window=timedelta(minutes=15))
    for minute in range(3):
        assert throttle.retry_after("10.0.0.1", START + timedelta(minutes=minute)) is None
        throttle.record_failure("10.0.0.1", START + timedelta(minutes=minute))
    assert throttle.retry_after("10.0.0.1", START + timedelta(minutes=5)) == timedelta(minutes=10)
    assert throttle.retry_after("10.0.0.2", START + timedelta(minutes=5)) is None  # other clients unaffected
    assert throttle.retry_after("10.0.0.1", START + timedelta(minutes=15)) is None


@given(
    st.lists(st.integers(min_value=0, max_value=3600), max_size=60), st.integers(min_value=1, max_value=10)
)
def test_refused_exactly_when_the_window_holds_limit_failures(offsets: list[int], limit: int) -> None:
    throttle, window = FailureThrottle(limit=limit, window=timedelta(minutes=15)), timedelta(minutes=15)
    times = [START + timedelta(seconds=s) for s in sorted(offsets)]
    for at in times:
        throttle.record_failure("client", at)
    check = (times[-1] if times else START) + timedelta(seconds=1)
    in_window = sum(1 for at in times if at > check - window)
    assert (throttle.retry_after("client", check) is not None) == (in_window >= limit)
