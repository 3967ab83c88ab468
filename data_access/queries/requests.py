"""Subject-request queue, timeline and the figures behind the request KPIs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df, read_one
from data_access.models import SubjectRequest, SubjectRequestEvent
from data_access.models.enums import OPEN_REQUEST_STATUSES
from data_access.request_due import (
    CLOSED_ANSWERED,
    answered_late_expr,
    due_within_expr,
    effective_due_expr,
    is_open_expr,
    overdue_expr,
)
from data_access.sql import hours_between, utc_month


def request_queue(*, session: Session, open_only: bool = True, limit: int = 500) -> pd.DataFrame:
    """Requests with their effective due date, oldest due first (uses ix_subject_requests_status_due)."""
    r = SubjectRequest
    effective_due = effective_due_expr().label("effective_due")
    stmt = select(
        r.id,
        r.reference,
        cast(r.request_type, String(32)).label("request_type"),
        r.regime,
        cast(r.status, String(32)).label("status"),
        cast(r.channel, String(32)).label("channel"),
        r.requester_name,
        r.requester_email,
        r.received_at,
        r.acknowledge_by,
        r.due_date,
        r.extended_due_date,
        effective_due,
        r.assignee,
        r.closed_at,
        r.person_id,
        r.version,
    )
    if open_only:
        stmt = stmt.where(r.status.in_(OPEN_REQUEST_STATUSES))
    return read_df(session, stmt.order_by(effective_due, r.id), limit=limit)


def request_choices(*, session: Session) -> pd.DataFrame:
    """Every request's id, reference, type and status for the request picker: open ones first (soonest due
    first), then closed ones (latest closed first). Narrow, so that all of them fit (MAX_ROWS)."""
    r = SubjectRequest
    is_open = is_open_expr()
    due_while_open = case((is_open, effective_due_expr()), else_=None)
    stmt = select(
        r.id,
        r.reference,
        cast(r.request_type, String(32)).label("request_type"),
        cast(r.status, String(32)).label("status"),
    )
    return read_df(
        session, stmt.order_by(case((is_open, 0), else_=1), due_while_open, r.closed_at.desc(), r.id)
    )


def request_timeline(*, session: Session, request_id: int) -> pd.DataFrame:
    e = SubjectRequestEvent
    return read_df(
        session,
        select(e.at, e.actor, e.kind, e.from_status, e.to_status, e.note)
        .where(e.request_id == request_id)
        .order_by(e.at, e.id),
    )


@dataclass(frozen=True)
class OpenCounts:
    open: int
    overdue: int
    due_soon: int


def open_counts(*, session: Session, today: date, due_soon_days: int) -> OpenCounts:
    """Open requests, those overdue on `today`, and those due within `due_soon_days` (the rule's
    DUE_SOON_DAYS)."""
    return OpenCounts(
        open=read_one(session, select(func.count()).where(is_open_expr())),
        overdue=read_one(session, select(func.count()).where(overdue_expr(today))),
        due_soon=read_one(session, select(func.count()).where(due_within_expr(today, due_soon_days))),
    )


def closing_times(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """One row per request answered (completed or rejected) in [since, until): type, regime, status,
    days from receipt to close, and whether it closed after its effective due date. Narrow on purpose:
    percentiles need the values, and answered requests number thousands, not millions."""
    r = SubjectRequest
    effective_due = effective_due_expr().label("effective_due")
    stmt = select(
        cast(r.request_type, String(32)).label("request_type"),
        r.regime,
        cast(r.status, String(32)).label("status"),
        (hours_between(r.received_at, r.closed_at) / 24.0).label("days_to_close"),
        r.closed_at,
        effective_due,
    ).where(r.status.in_(CLOSED_ANSWERED), r.closed_at >= since, r.closed_at < until)
    return read_df(session, stmt, limit=1_000_000)


def received_requests(
    *, session: Session, since: datetime, until: datetime, regime: str | None = None
) -> pd.DataFrame:
    """One row per request received in [since, until): type, status and days to close (None while open)."""
    r = SubjectRequest
    stmt = select(
        cast(r.request_type, String(32)).label("request_type"),
        cast(r.status, String(32)).label("status"),
        (hours_between(r.received_at, r.closed_at) / 24.0).label("days_to_close"),
    ).where(r.received_at >= since, r.received_at < until)
    if regime is not None:
        stmt = stmt.where(r.regime == regime)
    return read_df(session, stmt, limit=1_000_000)


def monthly_volumes(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    r = SubjectRequest
    month = utc_month(r.received_at).label("month")
    return read_df(
        session,
        select(month, cast(r.request_type, String(32)).label("request_type"), func.count().label("requests"))
        .where(r.received_at >= since, r.received_at < until)
        .group_by(month, r.request_type)
        .order_by(month, r.request_type),
    )


def request_counts_by_status(*, session: Session) -> pd.DataFrame:
    r = SubjectRequest
    return read_df(
        session,
        select(
            cast(r.status, String(32)).label("status"),
            cast(r.request_type, String(32)).label("request_type"),
            func.count().label("requests"),
        )
        .group_by(r.status, r.request_type)
        .order_by(r.status, r.request_type),
    )


def request_detail(*, session: Session, request_id: int) -> dict[str, object] | None:
    """One request as plain values (never a live ORM object for the UI), with its version for locking."""
    r = SubjectRequest
    row = session.execute(
        select(
            r.id,
            r.reference,
            r.external_id,
            cast(r.request_type, String(32)).label("type"),
            r.regime,
            cast(r.status, String(32)).label("status"),
            cast(r.channel, String(32)).label("channel"),
            r.requester_name,
            r.requester_email,
            r.requester_phone,
            r.requester_country,
            r.requester_region,
            r.via_agent,
            r.details,
            r.person_id,
            r.received_at,
            r.acknowledge_by,
            r.due_date,
            r.extended_due_date,
            r.extension_reason,
            r.verified_at,
            r.assignee,
            r.closed_at,
            r.outcome,
            r.rejection_reason,
            r.package_sha256,
            r.version,
        ).where(r.id == request_id)
    ).one_or_none()
    return None if row is None else dict(row._mapping)


def late_requests(*, session: Session, today: date) -> pd.DataFrame:
    """Requests answered after their effective due date, or still open past it."""
    r = SubjectRequest
    return read_df(
        session,
        select(
            r.reference,
            cast(r.request_type, String(32)).label("request_type"),
            r.regime,
            cast(r.status, String(32)).label("status"),
            r.received_at,
            effective_due_expr().label("effective_due"),
            r.closed_at,
        )
        .where(answered_late_expr() | overdue_expr(today))
        .order_by(r.received_at),
    )
