"""The statements of the subject-request workflow (the rules: dashboard.services.request_workflow); the caller
owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from data_access.models import SubjectRequest, SubjectRequestEvent
from data_access.models.enums import RequestStatus


def add_event(session: Session, event: SubjectRequestEvent) -> None:
    """Store the event and flush: a request changed by someone else since it was read raises StaleDataError here
    (its version column), inside the caller's step."""
    session.add(event)
    session.flush()


def requests_in_status(session: Session, statuses: Sequence[RequestStatus]) -> Sequence[SubjectRequest]:
    return session.scalars(select(SubjectRequest).where(SubjectRequest.status.in_(statuses))).all()


def has_event(session: Session, request_id: int, kind: str) -> bool:
    return bool(session.scalar(select(exists().where(SubjectRequestEvent.request_id == request_id,
                                                     SubjectRequestEvent.kind == kind))))
