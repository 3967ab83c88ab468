"""The request picker's list, on both engines: every request, open ones first by their effective due
date, then closed ones, latest closed first."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from data_access.queries.requests import request_choices
from tests.factories import make_request


def test_every_request_open_first_by_effective_due_then_closed_latest_first(session: Session) -> None:
    closed_early = make_request(
        session, status="completed", due_date=date(2026, 4, 1), closed_at=datetime(2026, 3, 20, tzinfo=UTC)
    )
    later = make_request(session, status="in_progress", due_date=date(2026, 4, 20))
    extended = make_request(
        session, status="extended", due_date=date(2026, 4, 6), extended_due_date=date(2026, 6, 5)
    )
    closed_late = make_request(
        session, status="rejected", due_date=date(2026, 3, 1), closed_at=datetime(2026, 4, 2, tzinfo=UTC)
    )
    sooner = make_request(session, status="received", due_date=date(2026, 4, 10))
    choices = request_choices(session=session)
    assert list(choices["reference"]) == [
        r.reference for r in (sooner, later, extended, closed_late, closed_early)
    ]
    assert list(choices.columns) == ["id", "reference", "request_type", "status"]
    assert choices.loc[0, "status"] == "received"
