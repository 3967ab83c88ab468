"""Breach clocks (docs/security-incidents.md): 72 clock hours on the UTC line whatever the zone and its DST,
'without undue delay' never turned into a number, US state periods ending at the end of their last
local day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.breach_deadlines import (
    US_STATE_RULES,
    authority_due,
    authority_late,
    breach_clocks,
    clock_status,
    days_due,
    regime_clocks,
)
from dashboard.rules.business_days import DeadlineError

BERLIN, LONDON, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
ZONES = st.sampled_from([BERLIN, LONDON, NEW_YORK, ZoneInfo("Australia/Lord_Howe"), UTC])
MOMENTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=ZONES)


@given(MOMENTS)
def test_the_authority_is_due_exactly_72_elapsed_hours_after_becoming_aware(aware: datetime) -> None:
    due = authority_due(aware)
    assert due.tzinfo == UTC
    assert due.timestamp() - aware.timestamp() == 72 * 3600


def test_72_hours_across_the_spring_dst_change_are_72_real_hours_not_three_wall_clock_days() -> None:
    # Berlin moves from 02:00 to 03:00 on Sunday 29 March 2026: 72 hours from Friday 20:00 end at
    # Monday 21:00 local.
    aware = datetime(2026, 3, 27, 20, 0, tzinfo=BERLIN)
    due = authority_due(aware)
    assert due == datetime(2026, 3, 30, 19, 0, tzinfo=UTC)
    assert due.astimezone(BERLIN).hour == 21


def test_72_hours_across_the_autumn_dst_change_end_an_hour_earlier_on_the_wall_clock() -> None:
    aware = datetime(
        2026, 10, 23, 18, 30, tzinfo=LONDON
    )  # Friday evening; clocks go back on Sunday 25 October
    assert authority_due(aware).astimezone(LONDON) == datetime(2026, 10, 26, 17, 30, tzinfo=LONDON)


def test_aware_on_a_friday_evening_is_due_on_the_monday_evening_weekends_count() -> None:
    aware = datetime(2026, 11, 20, 19, 45, tzinfo=UTC)  # Friday
    assert authority_due(aware) == datetime(2026, 11, 23, 19, 45, tzinfo=UTC)  # Monday, no business-day rule


@given(MOMENTS, st.integers(-10_000, 10_000))
def test_a_notice_is_late_exactly_when_it_comes_after_the_72nd_hour(aware: datetime, seconds: int) -> None:
    notified = authority_due(aware) + timedelta(seconds=seconds)
    assert authority_late(aware, notified) is (seconds > 0)


def test_a_naive_time_is_refused_naming_the_field() -> None:
    with pytest.raises(DeadlineError) as refused:
        authority_due(datetime(2026, 1, 1, 12))
    assert refused.value.field == "aware"


def test_people_under_gdpr_are_told_without_undue_delay_and_only_when_the_risk_is_high() -> None:
    aware = datetime(2026, 5, 4, 9, tzinfo=UTC)
    high = {c.party: c for c in regime_clocks("gdpr", aware, tz="UTC", risk="high_risk")}
    assert high["people affected"].due_at is None and high["people affected"].rule == "without undue delay"
    assert high["people affected"].applies
    low = {c.party: c for c in regime_clocks("gdpr", aware, tz="UTC", risk="unlikely")}
    assert not low["people affected"].applies and not low["supervisory authority"].applies


def test_a_processor_tells_the_controller_without_undue_delay_with_no_number() -> None:
    (clock,) = regime_clocks("processor", datetime(2026, 5, 4, 9, tzinfo=UTC), tz="UTC")
    assert clock.party == "controller" and clock.due_at is None and "Art. 33(2)" in clock.source


def test_california_shows_the_statute_s_words_not_an_invented_number() -> None:
    residents = next(
        c
        for c in regime_clocks("us-ca", datetime(2026, 5, 4, 9, tzinfo=UTC), tz="UTC", residents=3)
        if c.party == "residents affected"
    )
    assert residents.due_at is None
    assert residents.rule == "in the most expedient time possible and without unreasonable delay"


@given(MOMENTS, st.sampled_from([BERLIN, NEW_YORK, LONDON]))
def test_a_us_period_ends_at_the_last_instant_of_its_last_local_day(aware: datetime, zone: ZoneInfo) -> None:
    due = days_due(aware, 30, str(zone)).astimezone(zone)
    assert due.date() == aware.astimezone(zone).date() + timedelta(days=30)
    assert (due + timedelta(microseconds=1)).astimezone(zone).time() == datetime.min.time()


def test_texas_tells_the_attorney_general_from_250_residents_within_30_days() -> None:
    aware = datetime(
        2026, 2, 10, 23, 30, tzinfo=UTC
    )  # 18:30 on 10 February in New York, the zone that decides the day
    below = {c.party: c for c in regime_clocks("us-tx", aware, tz="America/New_York", residents=249)}
    at = {c.party: c for c in regime_clocks("us-tx", aware, tz="America/New_York", residents=250)}
    assert not below["Attorney General"].applies and at["Attorney General"].applies
    assert at["residents affected"].due_at.astimezone(NEW_YORK).date().isoformat() == "2026-04-11"
    assert at["Attorney General"].due_at.astimezone(NEW_YORK).date().isoformat() == "2026-03-12"


def test_every_state_row_names_its_statute_and_how_it_was_checked() -> None:
    for rule in US_STATE_RULES.values():
        assert rule.statute and rule.checked and rule.wording
        assert (rule.people_days is None) == ("expedient" in rule.wording)


def test_an_incident_gets_the_clocks_of_the_places_its_people_live_in() -> None:
    clocks = breach_clocks(
        datetime(2026, 5, 4, 9, tzinfo=UTC),
        risk="risk",
        tz="UTC",
        residents={"DE": 3, "GB": 1, "US-TX": 300, "US-NY": 5, "BR": 2},
    )
    assert {c.regime for c in clocks} == {"gdpr", "uk-gdpr", "us-tx"}


def test_unknown_regime_and_risk_are_refused_naming_the_option() -> None:
    with pytest.raises(DeadlineError) as refused:
        regime_clocks("us-zz", datetime(2026, 5, 4, tzinfo=UTC), tz="UTC")
    assert refused.value.field == "regime"
    with pytest.raises(DeadlineError) as refused:
        regime_clocks("gdpr", datetime(2026, 5, 4, tzinfo=UTC), tz="UTC", risk="severe")
    assert refused.value.field == "risk"


def test_clock_status_reads_done_late_overdue_open_and_due_now() -> None:
    aware = datetime(2026, 5, 4, 9, tzinfo=UTC)
    authority, people = regime_clocks("gdpr", aware, tz="UTC", risk="high_risk")
    assert clock_status(authority, done_at=aware + timedelta(hours=73), now=aware) == "done late"
    assert clock_status(authority, done_at=aware + timedelta(hours=72), now=aware) == "done on time"
    assert clock_status(authority, done_at=None, now=aware + timedelta(hours=80)) == "overdue"
    assert clock_status(authority, done_at=None, now=aware + timedelta(hours=1)) == "open"
    assert clock_status(people, done_at=None, now=aware) == "due now"
