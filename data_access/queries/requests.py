"""Subject-request queue and KPIs."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import SubjectRequest
from data_access.models.enums import OPEN_REQUEST_STATUSES


def request_queue(*, session: Session, open_only: bool = True, limit: int = 500) -> pd.DataFrame:
    """Requests with their effective due date, oldest due first (uses ix_subject_requests_status_due)."""
    r = SubjectRequest
    effective_due = func.coalesce(r.extended_due_date, r.due_date).label("effective_due")
    stmt = select(r.id, r.reference, r.request_type, r.regime, r.status, r.channel, r.requester_name,
                  r.requester_email, r.received_at, r.acknowledge_by, r.due_date, r.extended_due_date,
                  effective_due, r.assignee, r.closed_at, r.person_id)
    if open_only:
        stmt = stmt.where(r.status.in_(OPEN_REQUEST_STATUSES))
    return read_df(session, stmt.order_by(effective_due, r.id), limit=limit)


def request_counts_by_status(*, session: Session) -> pd.DataFrame:
    r = SubjectRequest
    return read_df(session, select(r.status, r.request_type, func.count().label("requests")).group_by(
        r.status, r.request_type).order_by(r.status, r.request_type))
