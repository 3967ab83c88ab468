"""Overview figures equal direct counts, on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from data_access.queries.overview import overview_figures
from data_access.queries.people import find_people
from tests.factories import make_person, make_request

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_open_and_overdue_requests_are_counted_by_effective_due_date(session: Session) -> None:
    make_request(session, status="in_progress", due_date=date(2026, 4, 6))  # overdue
    make_request(session, status="extended", due_date=date(2026, 4, 6), extended_due_date=date(2026, 6, 5))
    make_request(session, status="completed", due_date=date(2026, 4, 6))
    figures = overview_figures(session=session, today=NOW.date(), now=NOW)
    assert (figures.open_requests, figures.overdue_requests) == (2, 1)


def test_people_are_found_by_each_identifier_exactly(session: Session) -> None:
    person = make_person(
        session, email="ada@example.com", phone="+44 20 7946 0001", google_id="1098765432109876"
    )
    make_person(session, email="other@example.com")
    for term in (
        "ada@example.com",
        "ADA@example.com",
        person.username,
        person.external_ref,
        "+44 20 7946 0001",
        "1098765432109876",
        str(person.id),
    ):
        assert [m.person_id for m in find_people(session=session, term=term)] == [person.id], term
    assert find_people(session=session, term="nobody@example.com") == []


def test_a_slow_query_with_dialect_only_functions_is_logged_not_raised(caplog) -> None:  # type: ignore[no-untyped-def]
    """The slow-query log once crashed pages at scale: str() of utc_month had no generic rendering."""
    from sqlalchemy import select

    from data_access.gateway import _describe
    from data_access.models import PreferenceEvent
    from data_access.sql import utc_month

    assert "utc_month" in _describe(select(utc_month(PreferenceEvent.received_at)))


def _legal_request(session: Session, reference: str, request_type: str, received: datetime) -> None:
    from data_access.models import LegalRequest
    from data_access.models.enums import LegalRequestType

    session.add(
        LegalRequest(
            reference=reference,
            authority="Authority",
            jurisdiction="US",
            request_type=LegalRequestType(request_type),
            received_at=received,
            recorded_by="test",
        )
    )
    session.flush()


def test_national_security_requests_stay_out_of_the_overview_counts(session: Session) -> None:
    """50 U.S.C. 1874: such requests are known only in bands (the transparency report); a count that
    includes them would tell an executive one came in. The 90-day figure and the monthly trend leave
    them out."""
    from data_access.queries.overview import monthly_counts

    received = datetime(2026, 4, 10, 9, tzinfo=UTC)
    _legal_request(session, "LR-1", "subpoena", received)
    _legal_request(session, "LR-2", "national_security", received)
    assert overview_figures(session=session, today=NOW.date(), now=NOW).legal_requests_90d == 1
    trend = monthly_counts(session=session, since=datetime(2026, 4, 1, tzinfo=UTC), until=NOW)
    assert trend["legal_requests"].sum() == 1
