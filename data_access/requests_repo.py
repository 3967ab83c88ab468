"""The statements of the subject-request workflow (the rules: dashboard.services.request_workflow); the caller
owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from data_access.models import SubjectRequest, SubjectRequestEvent
from data_access.models.enums import RequestStatus


def add_event(session: Session, event: SubjectRequestEvent) -> None:
    """Store the event and flush: a request changed by someone else since it was read raises
    StaleDataError here (its version column), inside the caller's step."""
    session.add(event)
    session.flush()


def requests_in_status(session: Session, statuses: Sequence[RequestStatus]) -> Sequence[SubjectRequest]:
    return session.scalars(select(SubjectRequest).where(SubjectRequest.status.in_(statuses))).all()


def has_event(session: Session, request_id: int, kind: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(SubjectRequestEvent.request_id == request_id, SubjectRequestEvent.kind == kind)
            )
        )
    )


def requests_by_id(session: Session, *, with_external_id_only: bool) -> Sequence[SubjectRequest]:
    """Every request in id order (or only those that came with an external id: OpenDSR's)."""
    statement = select(SubjectRequest).order_by(SubjectRequest.id)
    if with_external_id_only:
        statement = statement.where(SubjectRequest.external_id.is_not(None))
    return session.scalars(statement).all()


def add_request(
    session: Session, request: SubjectRequest, reference: str, created: SubjectRequestEvent
) -> None:
    """Store a new request, its reference formatted with the new id ({id}), and its 'created' event."""
    session.add(request)
    session.flush()
    request.reference = reference.format(id=request.id)
    created.request_id = request.id
    session.add(created)
    session.flush()


def request_for_change(session: Session, request_id: int) -> SubjectRequest | None:
    """The request as stored now (not as this session last saw it), so its version is the current one."""
    return session.get(SubjectRequest, request_id, populate_existing=True)
