"""Finding a person by part of a name, email or phone (issue 4), on both engines, through the search index."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.erasure import erase_person_rows, identifying_values
from data_access.models import Contact
from data_access.pii_scan import scan_for_values
from data_access.queries.people import SEARCH_LIMIT, search_people
from tests.factories import make_person


def _ids(session: Session, term: str) -> list[int]:
    return [m.person_id for m in search_people(session=session, term=term)]


def test_part_of_a_name_email_or_phone_finds_the_person(session: Session) -> None:
    tanner = make_person(
        session, name="Tanner Whitfield", email="t.whit@mail.example", phone="+1 415 555 0123"
    )
    make_person(session, name="Ada Lovelace", email="ada@example.com", phone="+44 20 7946 0001")
    assert _ids(session, "Tann") == [tanner.id]
    assert _ids(session, "tanner whit") == [tanner.id]  # across the space, any case
    assert _ids(session, "whit@mail") == [tanner.id]
    assert _ids(session, "555 01") == [tanner.id]
    assert _ids(session, "Zebediah") == []


def test_terms_under_three_characters_match_exactly_only(session: Session) -> None:
    make_person(session, name="Al Tanner")
    assert _ids(session, "Al") == []


def test_exact_identifiers_come_first_then_exact_prefix_and_substring_matches(session: Session) -> None:
    inside = make_person(session, name="Bo Marianne")  # substring
    word = make_person(session, name="Ann Annelise")  # a name word starting with the term
    start = make_person(session, name="Annette Zhu")  # the name starting with the term
    exact_name = make_person(session, name="ANNE")  # the whole name
    exact_email = make_person(session, name="Someone Else", email="anne")  # an exact identifier: first
    assert _ids(session, "anne") == [exact_email.id, exact_name.id, word.id, start.id, inside.id]


def test_at_most_fifty_are_returned(session: Session) -> None:
    for n in range(SEARCH_LIMIT + 5):
        make_person(session, name=f"Tanner Number{n}")
    assert len(_ids(session, "Tanner")) == SEARCH_LIMIT


@pytest.mark.parametrize(
    "term",
    [
        '"',
        '"tan',
        'tan"ner',
        "*",
        "tan*",
        "Tanner NEAR Lee",
        "NEAR(tan ner)",
        "-tan",
        "tan OR lee",
        "%%%",
        "___",
        "t%r",
        "t_nner",
        "{full_name}:tan",
        "^tan",
        "'; DROP TABLE contacts; --",
    ],
)
def test_search_syntax_in_a_term_is_taken_literally(session: Session, term: str) -> None:
    make_person(session, name="Tanner Lee", email="tanner@example.com")
    make_person(session, name="Other Person", email="other@example.com")
    assert _ids(session, term) == []


def test_wildcard_characters_match_themselves(session: Session) -> None:
    percent = make_person(session, name="Per%cent Person")
    make_person(session, name="Perxcent Person")
    assert _ids(session, "r%c") == [percent.id]


def test_after_a_change_of_name_the_old_name_no_longer_finds_the_person(session: Session) -> None:
    person = make_person(session, name="Tanner Whitfield")
    person.contact.full_name = "Jordan Blake"  # type: ignore[union-attr]
    session.flush()
    assert _ids(session, "Whitfield") == []
    assert _ids(session, "Blake") == [person.id]


def test_after_an_erasure_the_name_finds_no_one_and_the_scan_finds_nothing(session: Session) -> None:
    person = make_person(
        session, name="Tanner Whitfield", email="tanner.w@mail.example", phone="+1 415 555 0123"
    )
    found = identifying_values(session=session, person_id=person.id)
    erase_person_rows(session=session, found=found, pseudonym="p-1", now=datetime.now(UTC))
    session.flush()
    for term in ("Whitfield", "tanner.w", "555 0123"):
        assert _ids(session, term) == [], term
    assert session.scalar(select(Contact).where(Contact.person_id == person.id)) is None
    assert scan_for_values(session=session, values=found.values) == []
