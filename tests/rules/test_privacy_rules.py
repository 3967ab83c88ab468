"""Masking for auditors and small-count suppression for executives."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.privacy.masking import mask_email, mask_ip, mask_name, mask_phone, mask_value
from dashboard.privacy.suppression import suppress_count, suppress_small_counts


def test_design_examples_are_masked_exactly() -> None:
    assert mask_email("john.doe@example.com") == "j***@example.com"
    assert mask_phone("+1 415 555 1234") == "+1 *** *** 1234"
    assert mask_ip("203.0.113.7") == "203.0.113.x"
    assert mask_name("Ada Lovelace") == "A*** L***"
    assert mask_ip("2001:db8:85a3::8a2e:370:7334") == "2001:db8:85a3::x"


def test_mask_value_dispatches_on_the_data_category() -> None:
    assert mask_value("user.contact.email", "ada@example.com") == "a***@example.com"
    assert mask_value("user.financial.credit_card", "4242") == "***4242"
    assert mask_value("user.unique_id", "109876") == "1***"
    assert mask_value("user.contact.email", None) is None


@given(st.from_regex(r"[a-z]{2,12}\.[a-z]{2,12}@example\.(com|org)", fullmatch=True))
def test_masked_email_never_contains_the_local_part(email: str) -> None:
    local = email.split("@")[0]
    assert local not in mask_email(email)


@given(st.integers(1, 999), st.integers(10**6, 10**10 - 1))
def test_masked_phone_keeps_only_country_code_and_last_four(code: int, number: int) -> None:
    phone = f"+{code} {number}"
    masked = mask_phone(phone)
    assert str(number) not in masked.replace(" ", "")
    assert masked.endswith(str(number)[-4:])


@given(st.tuples(*[st.integers(0, 255)] * 4))
def test_masked_ipv4_hides_the_host_octet(octets: tuple[int, int, int, int]) -> None:
    masked = mask_ip(".".join(map(str, octets)))
    assert masked.endswith(".x") and masked.count(".") == 3


@given(st.one_of(st.none(), st.text(max_size=30), st.integers()))
def test_masking_never_raises_on_odd_input(value: object) -> None:
    for category in (
        "user.contact.email",
        "user.contact.phone_number",
        "user.device.ip_address",
        "user.name",
        "user.financial",
        "user.behavior",
    ):
        mask_value(category, value)


@given(st.lists(st.integers(0, 50), min_size=1, max_size=30))
def test_no_count_from_one_to_four_survives_suppression(counts: list[int]) -> None:
    result = suppress_small_counts(pd.DataFrame({"people": counts}), ["people"])
    shown = list(result["people"])
    assert all(v == "<5" for v, c in zip(shown, counts, strict=True) if 0 < c < 5)
    assert all(int(v) == 0 or int(v) >= 5 for v in shown if v != "<5")
    assert result.attrs["suppressed"] == any(0 < c < 5 for c in counts)


def test_single_counts_are_suppressed_below_five() -> None:
    assert [suppress_count(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]


@given(st.lists(st.integers(0, 50), min_size=1, max_size=30))
def test_a_chart_draws_a_withheld_count_as_a_gap(counts: list[int]) -> None:
    from dashboard.privacy.suppression import gaps_for_small_counts

    drawn = gaps_for_small_counts(pd.DataFrame({"people": counts}), ["people"])["people"]
    assert [None if pd.isna(v) else int(v) for v in drawn] == [None if 0 < c < 5 else c for c in counts]
