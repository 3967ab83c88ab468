"""After an erasure: what is left is only what holds a value, each with its basis and why; a
recipient's notice is overdue only past NOTICE_DAYS with neither a notice nor a recorded reason not
to send one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dashboard.inventory.data_map import load_data_map
from dashboard.rules.erasure_follow_through import (
    NOTICE_DAYS,
    Hold,
    NoticeState,
    held_categories,
    left_after_erasure,
    notice_due,
    notice_state,
)

ERASED = datetime(2026, 11, 2, 12, tzinfo=UTC)
FIELDS = load_data_map().fields
INVOICE_REASON = "accounting and tax records must be kept (invoice, pseudonymised)"


def test_an_erased_request_record_holds_no_name_or_email_so_none_is_listed() -> None:
    """The bug: the request record's table declares user.name and user.contact.email, but after erasure its
    requester columns are empty, so neither is held."""
    left = left_after_erasure(held={"subject_requests": (1, {"person_id"})}, holds=[], fields=FIELDS)
    assert held_categories(left) == ["user.unique_id"]
    [item] = left
    assert item.form == "kept" and "answered" in item.why and item.retention == "3 years after closing"


def test_invoices_under_a_hold_are_pseudonymised_until_the_hold_with_its_reason() -> None:
    hold = Hold("invoices", 3, date(2033, 5, 1), INVOICE_REASON)
    left = left_after_erasure(
        held={"invoices": (3, {"number", "amount_cents", "issued_at", "pseudonym"})},
        holds=[hold],
        fields=FIELDS,
    )
    [item] = left
    assert (item.form, item.rows, item.retention, item.why, item.legal_basis) == (
        "pseudonymised",
        3,
        "until 2033-05-01",
        INVOICE_REASON,
        "legal_obligation",
    )
    assert "user.name" not in item.categories and "user.unique_id.pseudonymous" in item.categories


def test_tables_with_no_rows_or_no_valued_column_are_not_left() -> None:
    left = left_after_erasure(
        held={"contacts": (0, set()), "people": (1, {"country", "created_at"}), "identifiers": (2, set())},
        holds=[],
        fields=FIELDS,
    )
    assert [(i.table, i.form) for i in left] == [("people", "anonymised")]
    assert "user.account.username" not in left[0].categories


def test_a_kept_requester_contact_is_said() -> None:
    left = left_after_erasure(
        held={"subject_requests": (1, {"person_id", "requester_email"})}, holds=[], fields=FIELDS
    )
    assert "user.contact.email" in held_categories(left)


moments = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(2026, 11, 2), max_value=datetime(2027, 3, 1), timezones=st.just(UTC)),
)


@given(sent=moments, answered=moments, exempt=st.booleans(), days=st.integers(0, 120))
def test_a_notice_is_overdue_only_past_its_days_with_nothing_recorded(
    sent: datetime | None, answered: datetime | None, exempt: bool, days: int
) -> None:
    now = ERASED + timedelta(days=days)
    state = notice_state(
        erased_at=ERASED,
        sent_at=sent,
        exemption="no address known" if exempt else None,
        answered_at=answered,
        now=now,
    )
    nothing = sent is None and answered is None and not exempt
    assert (state == NoticeState.OVERDUE) == (nothing and days > NOTICE_DAYS)
    assert (state == NoticeState.DUE) == (nothing and days <= NOTICE_DAYS)
    if answered is not None:
        assert state == NoticeState.ANSWERED


def test_the_notice_is_due_thirty_days_after_the_erasure() -> None:
    assert notice_due(ERASED) == date(2026, 12, 2)
