"""A subject request's due date and lateness as SQL: the one expression of each that every query uses.

Each must agree with its Python rule in dashboard.rules.request_workflow (effective_due, is_overdue,
answered_late), which docs/legal-rules.md states; tests/data_access/test_request_due.py checks the
two against each other on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.expression import ColumnElement

from data_access.models import SubjectRequest
from data_access.models.enums import OPEN_REQUEST_STATUSES, RequestStatus
from data_access.sql import utc_day

# Closed with an answer (completed or rejected): the requests whose closing day says on time or late.
CLOSED_ANSWERED = (RequestStatus.COMPLETED, RequestStatus.REJECTED)


def effective_due_expr() -> ColumnElement[Any]:
    """The date a request must be answered by: the extended due date once one was noted, else the due date."""
    r = SubjectRequest
    return func.coalesce(r.extended_due_date, r.due_date)


def is_open_expr() -> ColumnElement[bool]:
    return SubjectRequest.status.in_(OPEN_REQUEST_STATUSES)


def overdue_expr(today: date) -> ColumnElement[bool]:
    """Still open on `today` and its effective due date is before it (due on the 5th: overdue on the 6th)."""
    return is_open_expr() & (effective_due_expr() < today)


def due_within_expr(today: date, days: int) -> ColumnElement[bool]:
    """Still open and due from `today` to `days` days later, both included (not overdue yet)."""
    due = effective_due_expr()
    return is_open_expr() & (due >= today) & (due <= today + timedelta(days=days))


def answered_late_expr() -> ColumnElement[bool]:
    """Answered (completed or rejected) on a UTC day after its effective due date."""
    return SubjectRequest.status.in_(CLOSED_ANSWERED) & (
        utc_day(SubjectRequest.closed_at) > effective_due_expr()
    )
