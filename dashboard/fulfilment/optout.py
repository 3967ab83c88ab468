"""Opt-out requests: suppression applied through the same opt-out service as the form and imports.

The opt-out counts from the request's receipt (its legal clock), and is honoured when fulfilled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.services.preferences import PreferenceChange, record_preference_change
from dashboard.services.request_workflow import record_fulfilment, request_to_fulfil
from data_access.models import PreferenceEvent
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus, RequestType
from data_access.types import utcnow

MARKETING_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PHONE)


def fulfil_optout(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    expected_version: int,
    now: datetime | None = None,
) -> list[PreferenceEvent]:
    now = now or utcnow()
    request, person_id = request_to_fulfil(
        session,
        principal,
        request_id,
        expected_version,
        (RequestType.OPT_OUT_MARKETING, RequestType.OPT_OUT_SALE),
        "is not an opt-out",
        "suppressing",
    )
    targets = (
        [(channel, CommPurpose.MARKETING) for channel in MARKETING_CHANNELS]
        if request.request_type == RequestType.OPT_OUT_MARKETING
        else [(Channel.ALL, CommPurpose.SALE_SHARING)]
    )
    events = [
        record_preference_change(
            session=session,
            principal=principal,
            change=PreferenceChange(
                person_id=person_id,
                channel=channel,
                purpose=purpose,
                new_status=PreferenceStatus.OPTED_OUT,
                source=PreferenceSource.SUBJECT_REQUEST,
                received_at=request.received_at,
                honoured_at=now,
            ),
        )
        for channel, purpose in targets
    ]
    record_fulfilment(
        session=session,
        principal=principal,
        request=request,
        note="suppressed: " + ", ".join(f"{c}/{p}" for c, p in targets),
    )
    return events
