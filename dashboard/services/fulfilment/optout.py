"""Opt-out requests: suppression applied through the same opt-out service as the form and imports.

The opt-out counts from the request's receipt (its legal clock), and is honoured when fulfilled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.request_workflow import WorkflowError, check_workable
from dashboard.services.preferences import PreferenceChange, record_preference_change
from dashboard.services.request_workflow import load_for_change, record_fulfilment
from data_access.models import PreferenceEvent
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus, RequestType
from data_access.types import utcnow

MARKETING_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PHONE)


def fulfil_optout(*, session: Session, principal: Principal, request_id: int, expected_version: int,
                  now: datetime | None = None) -> list[PreferenceEvent]:
    require(principal.role, "request.fulfil")
    now = now or utcnow()
    request = load_for_change(session, request_id, expected_version)
    check_workable(request.status)
    if request.request_type == RequestType.OPT_OUT_MARKETING:
        targets = [(channel, CommPurpose.MARKETING) for channel in MARKETING_CHANNELS]
    elif request.request_type == RequestType.OPT_OUT_SALE:
        targets = [(Channel.ALL, CommPurpose.SALE_SHARING)]
    else:
        raise WorkflowError("request_type", f"a {request.request_type} request is not an opt-out")
    if request.person_id is None:
        raise WorkflowError("person_id", "confirm which person the request is about before suppressing")
    events = [record_preference_change(session=session, principal=principal, change=PreferenceChange(
        person_id=request.person_id, channel=channel, purpose=purpose, new_status=PreferenceStatus.OPTED_OUT,
        source=PreferenceSource.SUBJECT_REQUEST, received_at=request.received_at, honoured_at=now))
        for channel, purpose in targets]
    record_fulfilment(session=session, principal=principal, request=request,
                      note="suppressed: " + ", ".join(f"{c}/{p}" for c, p in targets))
    return events
