"""Correction keeps the field's history; opt-out requests suppress through the opt-out service (both
engines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.fulfilment.correction import fulfil_correction
from dashboard.fulfilment.optout import fulfil_optout
from dashboard.rules.request_workflow import WorkflowError
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import change_status
from data_access.models import CommunicationPreference, Contact, FieldChange, PreferenceEvent, SubjectRequest
from data_access.models.enums import PreferenceSource, RequestChannel, RequestStatus, RequestType, Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
RECEIVED = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _started(session: Session, kind: RequestType, person_id: int | None, **extra: object) -> SubjectRequest:
    request = create_request(
        session=session,
        principal=MANAGER,
        intake=RequestIntake(
            requester_name="Ann Example",
            request_type=kind,
            channel=RequestChannel.EMAIL,
            received_at=RECEIVED,
            requester_email="ann@example.com",
            country="US",
            region="CA",
            person_id=person_id,
            **extra,
        ),
    )  # type: ignore[arg-type]
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=RequestStatus.IN_PROGRESS,
    )
    return request


def test_a_correction_changes_the_field_and_keeps_old_and_new_values(session: Session) -> None:
    person = make_person(session, email="ann@example.com", name="Anne Exampel")
    request = _started(session, RequestType.CORRECTION, person.id)
    fulfil_correction(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        table="contacts",
        field="full_name",
        new_value="Ann Example",
    )
    session.commit()
    contact = session.get(Contact, person.id)
    assert contact is not None and contact.full_name == "Ann Example"
    history = session.scalars(select(FieldChange).where(FieldChange.person_id == person.id)).all()
    assert [(h.field, h.old_value, h.new_value, h.subject_request_id) for h in history] == [
        ("full_name", "Anne Exampel", "Ann Example", request.id)
    ]
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=RequestStatus.COMPLETED,
        reason="corrected",
    )


@pytest.mark.parametrize(
    ("table", "field", "value", "bad"),
    [
        ("contacts", "username", "x", "field"),
        ("people", "country", "FR", "field"),
        ("contacts", "email", "not-an-email", "new_value"),
        ("contacts", "full_name", " ", "new_value"),
    ],
)
def test_corrections_that_are_not_allowed_name_the_field(
    session: Session, table: str, field: str, value: str, bad: str
) -> None:
    person = make_person(session)
    request = _started(session, RequestType.CORRECTION, person.id)
    with pytest.raises(WorkflowError) as error:
        fulfil_correction(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            table=table,
            field=field,
            new_value=value,
        )
    assert error.value.field == bad


def test_an_opt_out_request_suppresses_every_marketing_channel_from_its_receipt(session: Session) -> None:
    person = make_person(session, email="ann@example.com", region="CA")
    request = _started(session, RequestType.OPT_OUT_MARKETING, person.id)
    fulfil_optout(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        now=datetime(2026, 11, 3, tzinfo=UTC),
    )
    session.commit()
    events = session.scalars(select(PreferenceEvent).where(PreferenceEvent.person_id == person.id)).all()
    assert {e.channel for e in events} == {"email", "sms", "phone"}
    assert all(
        e.source == PreferenceSource.SUBJECT_REQUEST and e.received_at == RECEIVED and e.honour_by
        for e in events
    )
    states = session.scalars(
        select(CommunicationPreference.status).where(CommunicationPreference.person_id == person.id)
    ).all()
    assert states and set(states) == {"opted_out"}


def test_an_opt_out_of_sale_uses_the_ccpa_rule(session: Session) -> None:
    person = make_person(session, region="CA")
    request = _started(session, RequestType.OPT_OUT_SALE, person.id)
    events = fulfil_optout(
        session=session, principal=MANAGER, request_id=request.id, expected_version=request.version
    )
    assert [(e.channel, e.purpose, e.rule) for e in events] == [("all", "sale_sharing", "ccpa-sale")]
