"""The auditors' person pseudonyms (privacy.pseudonyms): stable, keyed, short, without collisions,
and read from their own key setting (production refuses to run without one, as for the audit
key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.privacy.pseudonyms import LENGTH, PATTERN, PREFIX, key_id, pseudonym
from dashboard.settings import PseudonymKeyError, audit_key, pseudonym_key

KEY, OTHER_KEY = b"k" * 40, b"j" * 40


@given(st.integers(min_value=1, max_value=2**62))
def test_a_pseudonym_is_stable_short_and_readable(person_id: int) -> None:
    first = pseudonym(KEY, person_id)
    assert (
        first
        == pseudonym(KEY, person_id)
        == pseudonym(KEY, str(person_id))
        == pseudonym(KEY, f" {person_id}")
    )
    assert PATTERN.fullmatch(first) and len(first) == len(PREFIX) + LENGTH


@given(st.integers(min_value=1, max_value=2**52))
def test_an_id_read_as_a_float_has_the_same_pseudonym(person_id: int) -> None:
    assert pseudonym(KEY, float(person_id)) == pseudonym(KEY, person_id)


@given(st.integers(min_value=1, max_value=2**62))
def test_another_key_gives_another_pseudonym(person_id: int) -> None:
    assert pseudonym(KEY, person_id) != pseudonym(OTHER_KEY, person_id)


def test_no_two_of_a_quarter_million_people_share_a_pseudonym() -> None:
    """The demo makes up to tens of thousands of people with ids from 1; 60 bits leave collisions at
    ~1e-8 here."""
    people = range(1, 250_001)
    assert len({pseudonym(KEY, person_id) for person_id in people}) == len(people)


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("COMPLIANCE_PSEUDONYM_KEY", "COMPLIANCE_AUDIT_KEY", "COMPLIANCE_ENV"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_key_comes_from_the_environment_then_its_own_section_of_secrets_toml(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (elsewhere / ".streamlit").mkdir()
    (elsewhere / ".streamlit" / "secrets.toml").write_text(
        f'[audit]\nkey = "{"a" * 40}"\n[pseudonym]\nkey = "{"p" * 40}"\n'
    )
    monkeypatch.setenv("COMPLIANCE_PSEUDONYM_KEY", "e" * 40)
    assert pseudonym_key() == b"e" * 40
    monkeypatch.delenv("COMPLIANCE_PSEUDONYM_KEY")
    assert pseudonym_key() == b"p" * 40 and audit_key() == b"a" * 40  # two keys, never one for both


def test_development_generates_its_own_key_file_apart_from_the_audit_key(elsewhere: Path) -> None:
    first = pseudonym_key()
    path = elsewhere / "data" / "pseudonym.key"
    assert len(first) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert pseudonym_key() == first and audit_key() != first


def test_production_refuses_a_missing_or_short_key(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLIANCE_ENV", "production")
    with pytest.raises(PseudonymKeyError, match=r"COMPLIANCE_PSEUDONYM_KEY.*\[pseudonym\]"):
        pseudonym_key()
    assert not (elsewhere / "data").exists()
    monkeypatch.setenv("COMPLIANCE_PSEUDONYM_KEY", "too short")
    with pytest.raises(PseudonymKeyError, match="32 characters"):
        pseudonym_key()


def test_the_key_id_names_the_key_without_being_a_pseudonym() -> None:
    assert key_id(KEY) == key_id(KEY) != key_id(OTHER_KEY)
    assert key_id(KEY).startswith("K-") and not PATTERN.fullmatch(key_id(KEY))
