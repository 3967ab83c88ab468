"""Deadlines against the official worked examples and hand-computed cases of docs/legal-rules.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.business_days import (
    add_business_days,
    add_calendar_months,
    holiday_calendar,
    is_business_day,
)
from dashboard.rules.deadlines import (
    DeadlineError,
    optout_deadline,
    parse_paused,
    request_deadlines,
    rule_for_channel,
)


def at(day: str, hour: int = 10, tz=UTC) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=tz)


def test_edpb_example_in_2026_rolls_over_easter_sunday_and_monday() -> None:
    # 5 March 2026 + one month = Sunday 5 April 2026 (Easter); Monday 6 April is an Irish bank holiday.
    assert request_deadlines("gdpr", at("2026-03-05")).due == date(2026, 4, 7)


def test_edpb_examples_32_and_33_in_a_year_without_weekend_effects() -> None:
    # EDPB 01/2022 ex. 32/33 give the nominal dates; 2027-04-05 is a Monday, 2027-09-30 a Thursday.
    assert request_deadlines("gdpr", at("2027-03-05")).due == date(2027, 4, 5)
    assert request_deadlines("gdpr", at("2027-08-31")).due == date(2027, 9, 30)


def test_ico_examples_including_christmas_bank_holidays() -> None:
    assert request_deadlines("uk-gdpr", at("2026-09-03")).due == date(2026, 10, 5)  # 3 Oct 2026 is a Saturday
    assert request_deadlines("uk-gdpr", at("2027-03-31")).due == date(2027, 4, 30)
    result = request_deadlines("uk-gdpr", at("2024-11-25"))
    assert result.due == date(2024, 12, 27)  # 25 and 26 December are bank holidays
    assert result.extended_due == date(2025, 2, 25)  # three months from receipt, not from the first deadline


def test_month_end_receipt_uses_the_last_day_of_a_shorter_month_including_leap_years() -> None:
    assert add_calendar_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_calendar_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert request_deadlines("gdpr", at("2028-01-31")).due == date(2028, 2, 29)  # a Tuesday


def test_date_of_receipt_is_taken_in_the_controllers_time_zone() -> None:
    late_utc = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert request_deadlines("gdpr", late_utc, tz="Europe/Berlin").receipt_date == date(2026, 7, 1)
    assert request_deadlines("gdpr", late_utc, tz="UTC").receipt_date == date(2026, 6, 30)


def test_us_regimes_count_calendar_days_without_rolling_forward() -> None:
    result = request_deadlines("ccpa", at("2026-10-12"))
    assert result.due == date(2026, 11, 26)  # Thanksgiving: calendar days do not roll forward
    assert result.extended_due == date(2027, 1, 10)
    assert result.acknowledge_by == date(
        2026, 10, 26
    )  # 10 business days; receipt day (Columbus Day) not counted
    assert request_deadlines("va", at("2026-10-12")).acknowledge_by is None


def test_ccpa_acknowledgement_skips_thanksgiving_and_christmas() -> None:
    assert request_deadlines("ccpa", at("2026-11-20")).acknowledge_by == date(2026, 12, 7)
    assert request_deadlines("ccpa", at("2026-12-18")).acknowledge_by == date(
        2027, 1, 5
    )  # 25 Dec, 1 Jan skipped


def test_ccpa_opt_out_of_sale_is_fifteen_business_days_without_extension() -> None:
    result = request_deadlines("ccpa", at("2026-11-20"), request_type="opt-out-sale")
    assert (result.due, result.extended_due, result.acknowledge_by) == (date(2026, 12, 14), None, None)


def test_lgpd_and_pipeda_periods() -> None:
    assert request_deadlines("lgpd", at("2026-01-10")).due == date(2026, 1, 25)
    pipeda = request_deadlines("pipeda", at("2026-01-10"))
    assert (pipeda.due, pipeda.extended_due) == (date(2026, 2, 9), date(2026, 3, 11))


def test_paused_days_are_added_before_rolling_forward_and_only_under_gdpr() -> None:
    paused = [parse_paused("2027-03-10/2027-03-14")]  # five calendar days
    assert request_deadlines("gdpr", at("2027-03-05"), paused=paused).due == date(
        2027, 4, 12
    )  # 10 Apr is Saturday
    with pytest.raises(DeadlineError) as error:
        request_deadlines("ccpa", at("2027-03-05"), paused=paused)
    assert error.value.field == "paused"


def test_opt_out_rules_across_us_federal_holidays() -> None:
    assert optout_deadline("can-spam", at("2026-11-20")).honour_by == date(
        2026, 12, 7
    )  # Thanksgiving skipped
    assert optout_deadline("tcpa", at("2026-06-26")).honour_by == date(
        2026, 7, 13
    )  # observed 4 July: Fri 3 July
    assert optout_deadline("gpc", at("2026-11-20")).honour_by == date(2026, 12, 14)
    objection = optout_deadline("gdpr-objection", at("2026-11-20"))
    assert (objection.honour_by, objection.basis) == (date(2026, 11, 24), "internal target")


def test_opt_out_rules_across_weekends_and_month_ends() -> None:
    # Fri 30 Jan 2026: count starts Mon 2 Feb; ten weekdays end Fri 13 Feb (Presidents' Day is 16 Feb).
    assert optout_deadline("can-spam", at("2026-01-30")).honour_by == date(2026, 2, 13)
    # Sat 26 Dec 2026: Dec 28-31 are four, New Year's Day is skipped, the tenth is Mon 11 Jan 2027.
    assert optout_deadline("tcpa", at("2026-12-26")).honour_by == date(2027, 1, 11)
    # Fri 15 May 2026 under CCPA: Memorial Day (25 May) skipped; the fifteenth business day is Mon 8 June.
    assert optout_deadline("ccpa-sale", at("2026-05-15")).honour_by == date(2026, 6, 8)
    # Received Sun 31 May 2026 23:30 in New York: receipt is that Sunday there, so ten business days
    # end Fri 12 June.
    late_sunday = datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    assert optout_deadline("can-spam", late_sunday, tz="America/New_York").honour_by == date(2026, 6, 12)
    # In UTC it is already Mon 1 June, so the count starts Tue 2 June and ends Mon 15 June.
    assert optout_deadline("can-spam", late_sunday, tz="UTC").honour_by == date(2026, 6, 15)


def test_json_output_has_exactly_the_specified_keys() -> None:
    assert set(request_deadlines("gdpr", at("2027-03-05")).to_json_dict()) == {
        "regime",
        "type",
        "received",
        "acknowledge_by",
        "due",
        "extended_due",
    }
    assert set(optout_deadline("tcpa", at("2027-03-05")).to_json_dict()) == {
        "rule",
        "received",
        "honour_by",
        "basis",
    }


def test_errors_name_the_field_at_fault() -> None:
    for call, field in [
        (lambda: request_deadlines("mars", at("2026-01-01")), "regime"),
        (lambda: request_deadlines("gdpr", at("2026-01-01"), tz="Mars/Base"), "tz"),
        (lambda: request_deadlines("gdpr", at("2026-01-01"), calendar="XX"), "calendar"),
        (lambda: optout_deadline("fax", at("2026-01-01")), "rule"),
        (lambda: rule_for_channel("pigeon", None), "channel"),
    ]:
        with pytest.raises(DeadlineError) as error:
            call()
        assert error.value.field == field


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)), st.integers(1, 30))
def test_business_day_results_are_business_days_and_grow_with_n(start: date, n: int) -> None:
    cal = holiday_calendar("US")
    day = add_business_days(start, n, cal)
    assert is_business_day(day, cal) and day > start
    assert add_business_days(start, n + 1, cal) > day


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(["gdpr", "uk-gdpr", "ccpa", "va", "lgpd", "pipeda", "none"]),
)
def test_due_is_after_receipt_and_extension_not_before_due(received: datetime, regime: str) -> None:
    result = request_deadlines(regime, received)
    assert result.due > result.receipt_date
    if regime in ("gdpr", "uk-gdpr"):
        nominal = add_calendar_months(result.receipt_date, 1)
        assert nominal <= result.due <= nominal + timedelta(days=6)
    if result.extended_due is not None:
        assert result.extended_due >= result.due
