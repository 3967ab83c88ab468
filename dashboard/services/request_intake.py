"""Logging a new subject request: validated, deadlines stamped from the one deadline module, audited.

Staff log requests that arrive by phone, email or letter on the requester's behalf, so the channel
is recorded and `created_by` names who logged it. The person is matched only when a manager
confirms a suggestion (or names one); the requester's own words are kept in `details`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.deadlines import RequestDeadlines, deadline_settings, request_deadlines
from dashboard.rules.email import is_email
from dashboard.rules.regimes import REGIMES, US_REGIMES, regime_for
from dashboard.rules.request_workflow import WorkflowError
from data_access import requests_repo
from data_access.models import SubjectRequest, SubjectRequestEvent
from data_access.models.enums import RequestChannel, RequestStatus, RequestType
from data_access.queries.people import PersonMatch, find_people, person_by_id


@dataclass(frozen=True)
class RequestIntake:
    requester_name: str
    request_type: RequestType
    channel: RequestChannel
    received_at: (
        datetime  # aware; the date of receipt is taken in the controller's zone (docs/legal-rules.md)
    )
    requester_email: str | None = None
    requester_phone: str | None = None
    country: str | None = None
    region: str | None = None
    regime: str | None = None  # None: from country and region
    via_agent: bool = False
    details: str | None = None
    person_id: int | None = None  # a confirmed match, or None
    external_id: str | None = None  # e.g. an OpenDSR subject_request_id


def validate_intake(intake: RequestIntake) -> str:
    """Raise WorkflowError naming the first bad field; return the regime that applies."""
    if not intake.requester_name.strip():
        raise WorkflowError("requester_name", "the requester's name is required")
    if not (intake.requester_email or intake.requester_phone):
        raise WorkflowError("requester_email", "an email or a phone number is needed to answer the requester")
    if intake.requester_email and not is_email(intake.requester_email):
        raise WorkflowError("requester_email", f"{intake.requester_email!r} is not an email address")
    if intake.received_at.tzinfo is None:
        raise WorkflowError("received_at", "the time received needs a time zone")
    regime = intake.regime or regime_for(intake.country, intake.region)
    if regime not in REGIMES:
        raise WorkflowError("regime", f"unknown regime {regime!r}; one of {', '.join(REGIMES)}")
    if intake.request_type == RequestType.OPT_OUT_SALE and regime not in US_REGIMES:
        raise WorkflowError(
            "request_type", f"an opt-out of sale/sharing is a US state-law right, not one of {regime}"
        )
    return regime


def check_request(session: Session, intake: RequestIntake) -> tuple[str, RequestDeadlines]:
    """Everything create_request checks and works out before it writes, without writing (an import's
    dry run reads only): the regime and the deadlines; WorkflowError naming the field if refused."""
    regime = validate_intake(intake)
    if intake.person_id is not None and person_by_id(session, intake.person_id) is None:
        raise WorkflowError("person_id", f"no person with id {intake.person_id}")
    return regime, request_deadlines(
        regime, intake.received_at, request_type=intake.request_type.value, settings=deadline_settings()
    )


def create_request(*, session: Session, principal: Principal, intake: RequestIntake) -> SubjectRequest:
    """Insert the request with its deadlines and a 'created' event; flush only (the caller commits)."""
    require(principal.role, "request.create")
    regime, deadlines = check_request(session, intake)
    request = SubjectRequest(
        reference=f"new-{uuid4().hex[:28]}",
        external_id=intake.external_id,
        request_type=intake.request_type,
        regime=regime,
        channel=intake.channel,
        requester_name=intake.requester_name.strip(),
        requester_email=(intake.requester_email or "").strip().lower() or None,
        requester_phone=intake.requester_phone,
        requester_country=intake.country,
        requester_region=intake.region,
        via_agent=intake.via_agent,
        details=intake.details,
        person_id=intake.person_id,
        received_at=intake.received_at,
        received_tz=str(intake.received_at.tzinfo),
        acknowledge_by=deadlines.acknowledge_by,
        due_date=deadlines.due,
        status=RequestStatus.RECEIVED,
        created_by=principal.username,
    )
    created = SubjectRequestEvent(
        actor=principal.username,
        kind="created",
        to_status=RequestStatus.RECEIVED.value,
        note=f"logged via {intake.channel}" + (" by an authorised agent" if intake.via_agent else ""),
    )
    requests_repo.add_request(session, request, f"DSR-{intake.received_at:%Y}-{{id:05d}}", created)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.create",
        object_type="subject_request",
        object_id=request.id,
        details={
            "reference": request.reference,
            "type": intake.request_type.value,
            "regime": regime,
            "due": deadlines.due.isoformat(),
        },
    )
    return request


def suggest_people(*, session: Session, values: list[str | None]) -> list[PersonMatch]:
    """People matching any of the requester's email, phone, username or identifier exactly (a
    suggestion only)."""
    found: dict[int, PersonMatch] = {}
    for value in values:
        if value and value.strip():
            for match in find_people(session=session, term=value, limit=5):
                found.setdefault(match.person_id, match)
    return list(found.values())
