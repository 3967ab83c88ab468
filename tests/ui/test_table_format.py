"""The cell formats every table uses (presentation.format, ui.table_view): one format per kind,
never "None" or "nan"."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.inventory.labels import category_name, data_use_name
from dashboard.presentation import format as fmt
from dashboard.presentation.columns import COLUMNS, series_name, spec_for
from dashboard.privacy.suppression import WITHHELD, suppress_small_counts
from dashboard.rules.regimes import REGIME_LABELS
from dashboard.ui.table_view import facts_table, readable

MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")
EMPTIES = [None, float("nan"), np.nan, pd.NaT, pd.NA]
moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1))
zones = st.sampled_from([UTC, timezone(timedelta(hours=-8)), timezone(timedelta(hours=5, minutes=30))])


@given(moments, zones)
def test_a_moment_reads_in_utc_with_the_zone_named_whatever_it_was_stored_in(
    moment: datetime, zone: timezone
) -> None:
    aware = moment.replace(tzinfo=zone)
    shown = fmt.timestamp(aware)
    assert MOMENT.match(shown), shown
    assert shown == aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert fmt.timestamp(pd.Timestamp(aware)) == shown
    assert (
        fmt.timestamp(str(pd.Timestamp(aware))) == shown
    )  # as a table that wrote its times as text holds them


def test_a_naive_moment_is_taken_as_utc_as_the_database_stores_them() -> None:
    assert fmt.timestamp(datetime(2026, 10, 25, 12, 0)) == "2026-10-25 12:00 UTC"
    assert fmt.day(datetime(2026, 10, 25, 23, 30, tzinfo=timezone(timedelta(hours=-2)))) == "2026-10-26"
    assert fmt.timestamp(date(2026, 10, 25)) == fmt.day(date(2026, 10, 25)) == "2026-10-25"


@pytest.mark.parametrize("empty", EMPTIES)
def test_an_empty_cell_reads_as_a_dash_in_every_format(empty) -> None:  # type: ignore[no-untyped-def]
    for shown in (
        fmt.timestamp(empty),
        fmt.day(empty),
        fmt.number(empty),
        fmt.percent(empty),
        fmt.hours(empty),
        fmt.words(empty),
        fmt.text(empty),
        fmt.names(empty, str),
    ):
        assert shown == fmt.EMPTY


@given(st.integers(min_value=0, max_value=10**10))
def test_a_duration_in_ms_reads_in_hours(ms: int) -> None:
    hours = fmt.ms_to_hours(ms)
    assert hours is not None and math.isclose(hours * fmt.MS_PER_HOUR, ms)


def test_the_issue_s_duration_reads_as_hours() -> None:
    shown, config = readable(pd.DataFrame({"duration_ms": [21466489]}))
    assert shown["duration_ms"].iloc[0] == pytest.approx(5.963, abs=0.001)
    assert config["duration_ms"]["label"] == "Time in app"
    assert config["duration_ms"]["type_config"]["format"] == "%.1f h"


@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), min_size=1, max_size=20))
def test_a_count_column_keeps_its_withheld_counts_and_never_shows_none(counts: list[int | None]) -> None:
    frame = suppress_small_counts(pd.DataFrame({"people": pd.array(counts, dtype="Int64")}), ["people"])
    shown, _ = readable(frame)
    for raw, cell in zip(counts, shown["people"], strict=True):
        if raw is None:
            assert cell == fmt.EMPTY
        elif 0 < raw < 5:
            assert cell == WITHHELD
        elif isinstance(cell, str):
            assert cell.replace(",", "") == str(raw)
        else:
            assert cell == raw


@given(st.sampled_from(sorted(REGIME_LABELS)))
def test_a_regime_code_is_shown_by_its_name(code: str) -> None:
    shown, config = readable(pd.DataFrame({"regime": [code]}))
    assert shown["regime"].iloc[0] == REGIME_LABELS[code]
    assert config["regime"]["label"] == "Law"


def test_fideslang_keys_are_shown_by_their_names_alone_in_lists_or_in_prose() -> None:
    frame = pd.DataFrame(
        {
            "categories": [np.array(["user.contact.email", "user.name"]), np.array([])],
            "purpose": ["essential.service.operations", None],
            "problem": ["shares user.contact.phone_number", None],
        }
    )
    shown, _ = readable(frame)
    names = f"{category_name('user.contact.email')}, {category_name('user.name')}"
    assert shown["categories"].tolist() == [names, fmt.EMPTY]
    assert shown["purpose"].tolist() == [data_use_name("essential.service.operations"), fmt.EMPTY]
    assert shown["problem"].iloc[0] == f"shares {category_name('user.contact.phone_number')}"
    assert "user." not in " ".join(map(str, shown.to_numpy().ravel()))


def test_a_moment_column_with_gaps_reads_in_one_format() -> None:
    frame = pd.DataFrame(
        {"received_at": pd.to_datetime(["2026-10-25T12:00:00Z", None]), "due_date": [date(2026, 11, 1), None]}
    )
    shown, config = readable(frame)
    assert shown["received_at"].tolist() == ["2026-10-25 12:00 UTC", fmt.EMPTY]
    assert shown["due_date"].tolist() == ["2026-11-01", fmt.EMPTY]
    assert config["received_at"]["label"] == "Received"


def test_a_ratio_is_a_percentage_on_screen_and_a_flag_reads_yes_or_no() -> None:
    shown, config = readable(
        pd.DataFrame(
            {"opt_out_rate": [0.25], "share_on_time": [None], "approved": [True], "evidence_complete": [None]}
        )
    )
    assert config["opt_out_rate"]["type_config"]["format"] == "percent"
    assert shown["share_on_time"].iloc[0] == fmt.EMPTY
    assert shown[["approved", "evidence_complete"]].iloc[0].tolist() == ["Yes", fmt.EMPTY]


@given(st.from_regex(r"[a-z]{1,8}(_[a-z]{1,8}){0,3}", fullmatch=True))
def test_every_column_has_a_header_without_underscores_even_one_not_registered(name: str) -> None:
    label = spec_for(name).label
    assert "_" not in label and label[:1].isupper() if label[:1].isalpha() else True


def test_every_registered_header_is_words() -> None:
    raw = {name: spec.label for name, spec in COLUMNS.items() if "_" in spec.label or spec.label == name}
    assert not raw, raw


def test_a_record_reads_as_labelled_facts() -> None:
    facts = facts_table(
        {"requester_email": "a@example.com", "regime": "or", "due_date": date(2026, 11, 1), "closed_at": None}
    )
    assert facts.to_dict("records") == [
        {"field": "Requester email", "value": "a@example.com"},
        {"field": "Law", "value": "Oregon OCPA"},
        {"field": "Due", "value": "2026-11-01"},
        {"field": "Closed", "value": fmt.EMPTY},
    ]


def test_a_chart_names_a_melted_column_by_its_label_and_a_code_in_words() -> None:
    assert [series_name(v) for v in ("returning_people", "new_people", "court_order", "email", "sms")] == [
        "Returning people",
        "New people",
        "court order",
        "email",
        "sms",
    ]


@given(st.integers(1, 5000))
def test_days_overdue_read_as_words_with_the_right_plural(days: int) -> None:
    shown = fmt.days_overdue(days)
    assert shown == (f"{days:,} day overdue" if days == 1 else f"{days:,} days overdue")
    assert all(fmt.days_overdue(empty) == fmt.EMPTY for empty in EMPTIES)


def test_a_month_reads_as_aug_2026_from_a_key_a_day_or_a_moment() -> None:
    for value in (
        "2026-08",
        date(2026, 8, 31),
        datetime(2026, 8, 1, tzinfo=UTC),
        pd.Period("2026-08", freq="M"),
    ):
        assert fmt.month(value) == "Aug 2026", value
    assert all(fmt.month(empty) == fmt.EMPTY for empty in EMPTIES)


def test_the_pdf_and_workbook_read_the_same_register_as_the_pages() -> None:
    """One register: the printed text of a frame carries the labels and cells the page draws."""
    from dashboard.presentation.cells import readable_text

    frame = pd.DataFrame(
        {
            "regime": ["or"],
            "days_overdue": [67],
            "received_at": [datetime(2026, 8, 1, 9, tzinfo=UTC)],
            "categories": [["user.contact.email"]],
            "month": ["2026-08"],
            "person_id": [None],
        }
    )
    shown = readable_text(frame)
    assert list(shown.columns) == [COLUMNS[c].label for c in frame.columns]
    assert shown.iloc[0].tolist() == [
        REGIME_LABELS["or"],
        "67 days overdue",
        "2026-08-01 09:00 UTC",
        category_name("user.contact.email"),
        "Aug 2026",
        fmt.EMPTY,
    ]


def test_days_overdue_gets_room_for_its_words() -> None:
    """The queue's short "Overdue" header sized the column and cut "68 days overdue" to "68 days ov"
    (seen in the screenshot): the column asks for a medium width."""
    shown, config = readable(pd.DataFrame({"days_overdue": [68, None]}))
    assert list(shown["days_overdue"])[0] == "68 days overdue"
    assert config["days_overdue"]["width"] == "medium"
