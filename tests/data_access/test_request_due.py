"""The SQL of a request's due date and lateness (data_access.request_due) against the Python rule
(dashboard.rules.request_workflow) on SQLite and PostgreSQL: the same answer for every request and day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.rules.request_workflow import answered_late, effective_due, is_overdue
from data_access.models import SubjectRequest
from data_access.models.enums import RequestStatus
from data_access.request_due import (
    CLOSED_ANSWERED,
    answered_late_expr,
    effective_due_expr,
    overdue_expr,
)
from tests.factories import make_request

DUE = date(2026, 4, 6)
CLOSED_STATUSES = [s for s in RequestStatus if s in (*CLOSED_ANSWERED, RequestStatus.CLOSED_UNVERIFIED)]
# Offsets around the due date (the boundary is the due day itself), and times of day around UTC midnight.
offsets = st.integers(-3, 3)
times = st.sampled_from([time(0, 0), time(0, 0, 1), time(12), time(23, 59, 59)])
case = st.tuples(st.sampled_from(list(RequestStatus)), st.none() | offsets, offsets, offsets, times)


def _closed_at(status: RequestStatus, day: date, at: time) -> datetime | None:
    return datetime.combine(day, at, UTC) if status in CLOSED_STATUSES else None


def _sql(session: Session, today: date) -> list[tuple[int, date, bool, bool]]:
    rows = session.execute(
        select(SubjectRequest.id, effective_due_expr(), overdue_expr(today), answered_late_expr()).order_by(
            SubjectRequest.id
        )
    )
    return [(i, due, bool(overdue), bool(late)) for i, due, overdue, late in rows]


def _python(request: SubjectRequest, today: date) -> tuple[int, date, bool, bool]:
    due_by = effective_due(request.due_date, request.extended_due_date)
    closed = request.closed_at
    late = (
        request.status in CLOSED_ANSWERED
        and closed is not None
        and answered_late(due_by, closed.astimezone(UTC).date())
    )
    return request.id, due_by, is_overdue(request.status, due_by, today), late


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(case, min_size=1, max_size=12), offsets)
def test_the_sql_and_the_python_rule_agree(session: Session, cases: list[tuple], today_offset: int) -> None:
    today = DUE + timedelta(days=today_offset)
    requests = [
        make_request(
            session,
            status=status,
            due_date=DUE,
            extended_due_date=None if extended is None else DUE + timedelta(days=10 + extended),
            closed_at=_closed_at(status, DUE + timedelta(days=closed), at),
        )
        for status, extended, closed, _, at in cases
    ]
    try:
        assert _sql(session, today) == [_python(r, today) for r in requests]
    finally:
        session.rollback()


def test_boundaries_on_both_engines(session: Session) -> None:
    """Due on the 6th: open on the 6th is not overdue, on the 7th it is; answered at 23:59:59 UTC on
    the 6th is on time, at 00:00 UTC on the 7th late; an extension moves the date both are measured
    from."""
    on_due = make_request(session, status=RequestStatus.IN_PROGRESS, due_date=DUE)
    extended = make_request(
        session, status=RequestStatus.EXTENDED, due_date=DUE, extended_due_date=DUE + timedelta(days=30)
    )
    last_second = make_request(
        session,
        status=RequestStatus.COMPLETED,
        due_date=DUE,
        closed_at=datetime.combine(DUE, time(23, 59, 59), UTC),
    )
    next_day = make_request(
        session,
        status=RequestStatus.REJECTED,
        due_date=DUE,
        closed_at=datetime.combine(DUE + timedelta(days=1), time(0), UTC),
    )
    for today in (DUE, DUE + timedelta(days=1)):
        assert _sql(session, today) == [_python(r, today) for r in (on_due, extended, last_second, next_day)]
    assert _sql(session, DUE + timedelta(days=1)) == [
        (on_due.id, DUE, True, False),
        (extended.id, DUE + timedelta(days=30), False, False),
        (last_second.id, DUE, False, False),
        (next_day.id, DUE, False, True),
    ]
