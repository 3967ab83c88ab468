"""Property (SQLite and PostgreSQL): after any opt-outs, honoured or not, at any instants, the
honour rollup kept on each write equals a rebuild, and the report's histogram and median read
through it equal a direct recomputation from the opt-outs themselves."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from dashboard.auth.service import Principal
from dashboard.services.preferences import PreferenceChange, record_preference_change
from data_access.db import session_factory, transaction
from data_access.models import OptOutHonourMonthly, PreferenceEvent
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus, Role
from data_access.optout_honour import rebuild_optout_honour
from data_access.queries.optouts import MAX_BUCKET_DAYS, honour_time_histogram, median_honour_hours
from tests.conftest import truncate_all
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
START = datetime(2026, 1, 28, 23, 59, 30, tzinfo=UTC)  # opt-outs straddle month ends
REGIONS = [("US", "CA"), ("US", "NY"), ("DE", None)]  # CCPA, CAN-SPAM, GDPR objection
# Delays in seconds, with fractions, up to 40 days (past the histogram's 30-day cap and most deadlines); None
# is an opt-out not honoured yet.
DELAYS = st.one_of(
    st.none(),
    st.floats(0, 40 * 86_400, allow_nan=False).map(lambda s: timedelta(seconds=s)),
    st.integers(0, 40 * 24).map(lambda h: timedelta(hours=h)),
)
OPT_OUTS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from([Channel.EMAIL, Channel.SMS]),
        st.integers(0, 24 * 80).map(lambda h: START + timedelta(hours=h, microseconds=h)),
        DELAYS,
    ),
    min_size=1,
    max_size=20,
)


def _rollup(engine: Engine) -> set[tuple[object, ...]]:
    with session_factory(engine)() as session:
        h = OptOutHonourMonthly
        return {
            tuple(r)
            for r in session.execute(
                select(h.month, h.rule, h.channel, h.outcome, h.minutes, h.opt_outs).where(h.opt_outs != 0)
            )
        }


def _direct(
    engine: Engine, since: datetime, until: datetime, now: datetime
) -> tuple[Counter[tuple[object, ...]], float | None]:
    """The histogram and median recomputed from every opt-out, in Python."""
    with session_factory(engine)() as session:
        events = session.scalars(
            select(PreferenceEvent).where(PreferenceEvent.new_status == PreferenceStatus.OPTED_OUT)
        ).all()
    histogram: Counter[tuple[object, ...]] = Counter()
    hours = []
    for e in events:
        if not since <= e.received_at < until:
            continue
        assert e.honour_deadline_at is not None
        if e.honoured_at is None:
            outcome, days = ("overdue" if e.honour_deadline_at <= now else "pending"), None
        else:
            minutes = (e.honoured_at - e.received_at) // timedelta(minutes=1)
            outcome = "on time" if e.honoured_at < e.honour_deadline_at else "late"
            days = min(minutes // (24 * 60), MAX_BUCKET_DAYS)
            hours.append(minutes / 60)
        histogram[(e.rule, e.channel.value, outcome, days)] += 1
    return histogram, (statistics.median(hours) if hours else None)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    opt_outs=OPT_OUTS,
    first_month=st.integers(0, 2),
    months=st.integers(1, 3),
    now_hours=st.integers(0, 24 * 90),
)
def test_the_kept_rollup_equals_a_rebuild_and_the_report_equals_the_opt_outs(  # type: ignore[no-untyped-def]
    engine: Engine, opt_outs, first_month: int, months: int, now_hours: int
) -> None:
    truncate_all(engine)
    with transaction(engine) as session:
        people = [make_person(session, country=country, region=region).id for country, region in REGIONS]
        for who, channel, received, delay in opt_outs:
            record_preference_change(
                session=session,
                principal=MANAGER,
                audit=False,
                change=PreferenceChange(
                    person_id=people[who],
                    channel=channel,
                    purpose=CommPurpose.MARKETING,
                    new_status=PreferenceStatus.OPTED_OUT,
                    source=PreferenceSource.PREFERENCE_FORM,
                    received_at=received,
                    honoured_at=None if delay is None else received + delay,
                ),
            )
    kept = _rollup(engine)
    with transaction(engine) as session:
        rebuild_optout_honour(session)
    assert kept == _rollup(engine)

    since = datetime(2026, 1 + first_month, 1, tzinfo=UTC)
    until = datetime(2026, 1 + first_month + months, 1, tzinfo=UTC)
    now = START + timedelta(hours=now_hours)
    with session_factory(engine)() as session:
        frame = honour_time_histogram(session=session, since=since, until=until, now=now)
        median = median_honour_hours(session=session, since=since, until=until)
    read = Counter(
        {
            (r.rule, r.channel, r.outcome, None if r.days != r.days else int(r.days)): int(r.opt_outs)
            for r in frame.itertuples(index=False)
        }
    )
    histogram, expected_median = _direct(engine, since, until, now)
    assert read == histogram
    assert median == (None if expected_median is None else pytest.approx(expected_median))


def test_deleting_an_honoured_opt_out_takes_it_out_of_the_rollup(engine: Engine) -> None:
    truncate_all(engine)
    received = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with transaction(engine) as session:
        person = make_person(session)
        event = record_preference_change(
            session=session,
            principal=MANAGER,
            audit=False,
            change=PreferenceChange(
                person_id=person.id,
                channel=Channel.EMAIL,
                purpose=CommPurpose.MARKETING,
                new_status=PreferenceStatus.OPTED_OUT,
                source=PreferenceSource.PREFERENCE_FORM,
                received_at=received,
                honoured_at=received + timedelta(minutes=90, seconds=59),
            ),
        )
        event_id, rule = event.id, event.rule
    assert _rollup(engine) == {("2026-03", rule, "email", "on time", 90, 1)}
    with transaction(engine) as session:
        session.delete(session.get(PreferenceEvent, event_id))
    assert _rollup(engine) == set()


def test_the_report_refuses_a_period_that_does_not_start_a_month(engine: Engine) -> None:
    with (
        session_factory(engine)() as session,
        pytest.raises(ValueError, match="since must be the start of a UTC"),
    ):
        median_honour_hours(
            session=session, since=datetime(2026, 1, 2, tzinfo=UTC), until=datetime(2026, 2, 1, tzinfo=UTC)
        )
