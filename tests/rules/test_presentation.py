"""The one presentation rule (privacy.presentation): managers in clear, auditors masked with free
text withheld and quoted values redacted, everyone else without personal columns and with counts of
1-4 people withheld."""

from __future__ import annotations

import pandas as pd

from dashboard.auth.service import Principal
from dashboard.privacy.presentation import (
    QUOTING_MESSAGE,
    present,
    present_chart_counts,
    present_count,
    present_value,
    redact,
)
from dashboard.privacy.pseudonyms import pseudonym
from dashboard.settings import pseudonym_key
from data_access.models.enums import Role

MANAGER, AUDITOR, EXECUTIVE = (
    Principal(r.value, r.value.title(), r) for r in (Role.MANAGER, Role.AUDITOR, Role.EXECUTIVE)
)
FRAME = pd.DataFrame(
    {
        "person_id": [4217, None],
        "email": ["ada@example.com", None],
        "note": ["Ada Lovelace called from +44 20 7946 0958", None],
        "reason": ["'ada@example.com' is not an ISO 8601 time", "required"],
        "people": [3, 12],
    }
)


def test_a_manager_sees_the_frame_as_it_is() -> None:
    assert present(FRAME, MANAGER, columns={"reason": QUOTING_MESSAGE}).equals(FRAME)


def test_an_auditor_sees_pseudonyms_for_ids_contacts_masked_notes_withheld_and_quoted_values_redacted() -> (
    None
):
    shown = present(FRAME, AUDITOR, columns={"reason": QUOTING_MESSAGE}, counts=["people"])
    assert shown.loc[0].to_dict() == {
        "person_id": pseudonym(pseudonym_key(), 4217),
        "email": "a***@example.com",
        "note": "[withheld: 41 characters]",
        "reason": "'***' is not an ISO 8601 time",
        "people": 3,
    }
    assert shown.loc[1, "reason"] == "required" and pd.isna(shown.loc[1, "note"])
    assert FRAME.loc[0, "email"] == "ada@example.com"  # the caller's frame is not changed


def test_an_executive_gets_no_personal_column_and_no_count_below_five() -> None:
    shown = present(FRAME, EXECUTIVE, columns={"reason": QUOTING_MESSAGE}, counts=["people"])
    assert list(shown.columns) == ["people"]
    assert (
        shown["people"].tolist() == ["<5", "12"] and shown.attrs["suppressed"]
    )  # one rendering: <5, never None
    assert present_value("user.free_text", "a note", EXECUTIVE) is None


def test_a_single_count_and_a_chart_are_withheld_by_the_same_permission() -> None:
    """Managers and auditors (person.view) see every count; an executive gets None ("<5"), gaps."""
    assert [present_count(n, MANAGER) for n in (0, 3, 12)] == [0, 3, 12]
    assert [present_count(n, AUDITOR) for n in (0, 3, 12)] == [0, 3, 12]
    assert [present_count(n, EXECUTIVE) for n in (0, 3, 12, None)] == [0, None, 12, None]
    daily = pd.DataFrame({"day": [1, 2, 3], "active_users": [0, 3, 12]})
    assert present_chart_counts(daily, AUDITOR, ["active_users"]).equals(daily)
    drawn = present_chart_counts(daily, EXECUTIVE, ["active_users"])["active_users"]
    assert drawn.iloc[0] == 0 and pd.isna(drawn.iloc[1]) and drawn.iloc[2] == 12


def test_a_column_mapped_to_none_is_not_personal_in_that_frame() -> None:
    staff = pd.DataFrame({"username": ["ann"], "email": ["ann@company.example"]})
    assert present(staff, EXECUTIVE, columns={"email": None}).equals(staff)


def test_redaction_masks_emails_and_phone_numbers_outside_quotes() -> None:
    assert redact("mail b.c@d.org or call +1 415 555 1234") == "mail b***@d.org or call +1 *** *** 1234"


def test_an_auditor_sees_the_person_an_audit_entry_is_about_by_pseudonym_and_an_executive_not_at_all() -> (
    None
):
    entries = pd.DataFrame(
        {
            "action": ["person.view", "export.csv"],
            "object_type": ["person", "table"],
            "object_id": ["4217", "request-queue"],
        }
    )
    assert present(entries, AUDITOR)["object_id"].tolist() == [
        pseudonym(pseudonym_key(), 4217),
        "request-queue",
    ]
    assert present(entries, EXECUTIVE)["object_id"].tolist() == [None, "request-queue"]
    assert present(entries, MANAGER)["object_id"].tolist() == ["4217", "request-queue"]


def test_one_person_id_has_one_pseudonym_in_a_table_and_alone() -> None:
    """A column of ids with a gap arrives as floats (4217.0), a lone id as an int: both read the same."""
    assert present(FRAME, AUDITOR).loc[0, "person_id"] == present_value("system.person_id", 4217, AUDITOR)
