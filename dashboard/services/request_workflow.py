"""Moving a subject request through its workflow, with optimistic locking and an audited timeline.

Every change names the version the manager was looking at. If someone else changed the request
since, ConcurrentUpdate is raised and nothing is written; the page reloads and shows the other
change, so no one's work is silently overwritten. The ORM's version counter also catches the
rarer race between reading and writing (StaleDataError).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings, request_deadlines
from dashboard.rules.request_workflow import (
    FULFILLED_BY_ACTION,
    WorkflowError,
    check_not_fulfilled,
    check_transition,
    check_workable,
    should_auto_close,
)
from data_access import requests_repo
from data_access.models import SubjectRequest, SubjectRequestEvent
from data_access.models.enums import RequestStatus, RequestType
from data_access.queries.people import person_by_id
from data_access.types import utcnow


class ConcurrentUpdate(RuntimeError):
    """Another manager changed the request first; carries the version now stored."""

    def __init__(self, reference: str, current_version: int) -> None:
        super().__init__(
            f"{reference} was changed by someone else (now version {current_version}); "
            "reload it and apply your change again"
        )
        self.current_version = current_version


def load_for_change(session: Session, request_id: int, expected_version: int) -> SubjectRequest:
    request = requests_repo.request_for_change(session, request_id)
    if request is None:
        raise WorkflowError("request", f"no subject request with id {request_id}")
    if request.version != expected_version:
        raise ConcurrentUpdate(request.reference, request.version)
    return request


def request_to_fulfil(
    session: Session,
    principal: Principal,
    request_id: int,
    expected_version: int,
    types: Collection[RequestType],
    refusal: str,
    action: str,
) -> tuple[SubjectRequest, int]:
    """The request a fulfilment acts on, and its person: the caller may fulfil, the version is the one shown,
    the status is workable, the type is one of `types` (else "a <type> request <refusal>") and the person is
    confirmed (else "confirm which person ... before <action>")."""
    require(principal.role, "request.fulfil")
    request = load_for_change(session, request_id, expected_version)
    check_workable(request.status)
    if request.request_type not in types:
        raise WorkflowError("request_type", f"a {request.request_type} request {refusal}")
    if request.person_id is None:
        raise WorkflowError("person_id", f"confirm which person the request is about before {action}")
    check_not_fulfilled(request.request_type, _fulfilled(session, request.id))
    return request, request.person_id


def change_status(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    expected_version: int,
    target: RequestStatus,
    reason: str | None = None,
    now: datetime | None = None,
) -> SubjectRequest:
    """One workflow step; extension recomputes the extended due date from the deadline module."""
    require(principal.role, "request.update")
    now = now or utcnow()
    request = load_for_change(session, request_id, expected_version)
    extended_due = _extended_due(request) if target == RequestStatus.EXTENDED else None
    check_transition(request.status, target, reason=reason, extended_due=extended_due)
    if target == RequestStatus.EXTENDED and now.date() > request.due_date:
        raise WorkflowError("status", f"the extension notice had to be sent by {request.due_date}")
    if (
        target == RequestStatus.COMPLETED
        and request.request_type in FULFILLED_BY_ACTION
        and not _fulfilled(session, request.id)
    ):
        raise WorkflowError(
            "status",
            f"a {request.request_type} request is completed by its fulfilment, which has not been done yet",
        )
    previous = request.status
    _apply(request, target, reason, extended_due, now)
    return _log(session, principal, request, "status_change", reason, previous, now)


def assign(
    *, session: Session, principal: Principal, request_id: int, expected_version: int, assignee: str | None
) -> SubjectRequest:
    require(principal.role, "request.update")
    request = load_for_change(session, request_id, expected_version)
    request.assignee = (assignee or "").strip() or None
    return _log(session, principal, request, "assigned", request.assignee or "unassigned", None, utcnow())


def confirm_person(
    *, session: Session, principal: Principal, request_id: int, expected_version: int, person_id: int | None
) -> SubjectRequest:
    """The manager's confirmation of which person the request is about (or that none matches)."""
    require(principal.role, "request.update")
    request = load_for_change(session, request_id, expected_version)
    if person_id is not None and person_by_id(session, person_id) is None:
        raise WorkflowError("person_id", f"no person with id {person_id}")
    request.person_id = person_id
    return _log(session, principal, request, "person_confirmed", f"person {person_id}", None, utcnow())


def add_note(*, session: Session, principal: Principal, request_id: int, note: str) -> None:
    """A note never conflicts with other changes, so it does not take part in the locking."""
    require(principal.role, "request.update")
    if not note.strip():
        raise WorkflowError("note", "the note is empty")
    requests_repo.add_event(
        session,
        SubjectRequestEvent(request_id=request_id, actor=principal.username, kind="note", note=note.strip()),
    )
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.note",
        object_type="subject_request",
        object_id=request_id,
    )


def record_fulfilment(*, session: Session, principal: Principal, request: SubjectRequest, note: str) -> None:
    """The proof a fulfilment module writes once the data has been acted on."""
    _log(session, principal, request, "fulfilment", note, None, utcnow())


def close_unverified(*, session: Session, principal: Principal, now: datetime | None = None) -> list[str]:
    """Close requests still unverified after the set period; returns their references."""
    require(principal.role, "request.update")
    now = now or utcnow()
    candidates = requests_repo.requests_in_status(session, [RequestStatus.RECEIVED, RequestStatus.VERIFYING])
    closed = []
    for request in candidates:
        if should_auto_close(request.status, request.received_at, now):
            previous = request.status
            _apply(request, RequestStatus.CLOSED_UNVERIFIED, "identity not verified in time", None, now)
            _log(
                session,
                principal,
                request,
                "status_change",
                "closed automatically: identity not verified",
                previous,
                now,
            )
            closed.append(request.reference)
    return closed


def _apply(
    request: SubjectRequest,
    target: RequestStatus,
    reason: str | None,
    extended_due: date | None,
    now: datetime,
) -> None:
    request.status = target
    if target == RequestStatus.IN_PROGRESS:
        request.verified_at = now
    elif target == RequestStatus.EXTENDED:
        request.extended_due_date = extended_due
        request.extension_reason, request.extension_notified_at = reason, now
    elif target == RequestStatus.REJECTED:
        request.rejection_reason, request.closed_at = reason, now
    elif target in (RequestStatus.COMPLETED, RequestStatus.CLOSED_UNVERIFIED):
        request.closed_at = now
        request.outcome = reason or request.outcome


def _log(
    session: Session,
    principal: Principal,
    request: SubjectRequest,
    kind: str,
    note: str | None,
    previous: RequestStatus | None,
    now: datetime,
) -> SubjectRequest:
    event = SubjectRequestEvent(
        request_id=request.id,
        at=now,
        actor=principal.username,
        kind=kind,
        from_status=previous.value if previous else None,
        to_status=request.status.value if previous else None,
        note=note,
    )
    try:
        requests_repo.add_event(session, event)
    except StaleDataError as exc:
        session.rollback()
        raise ConcurrentUpdate(request.reference, -1) from exc
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=f"request.{kind}",
        object_type="subject_request",
        object_id=request.id,
        details={"to": request.status.value, "version": request.version},
    )
    return request


def _extended_due(request: SubjectRequest) -> date | None:
    return extension_due(request.regime, request.received_at, request.request_type.value)


def extension_due(regime: str, received_at: datetime, request_type: str) -> date | None:
    """The date an extension would move a request's answer to, or None where its regime allows none."""
    return request_deadlines(
        regime, received_at, request_type=request_type, settings=deadline_settings()
    ).extended_due


def _fulfilled(session: Session, request_id: int) -> bool:
    return requests_repo.has_event(session, request_id, "fulfilment")
