"""Intake and workflow on SQLite and PostgreSQL: deadlines stamped, transitions audited, and two
managers acting on one request at once cannot overwrite each other."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.rules.request_workflow import WorkflowError
from dashboard.services.request_intake import RequestIntake, create_request, suggest_people
from dashboard.services.request_workflow import (
    ConcurrentUpdate,
    add_note,
    assign,
    change_status,
    close_unverified,
    record_fulfilment,
)
from data_access.db import session_factory
from data_access.models import AuditEntry, SubjectRequest, SubjectRequestEvent
from data_access.models.enums import RequestChannel, RequestStatus, RequestType, Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
OTHER = Principal("l.nguyen", "Lee Nguyen", Role.MANAGER)
S = RequestStatus


def _intake(**overrides: object) -> RequestIntake:
    values: dict[str, object] = {
        "requester_name": "Ann Example",
        "request_type": RequestType.ACCESS,
        "channel": RequestChannel.EMAIL,
        "received_at": datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("Europe/Dublin")),
        "requester_email": "Ann@Example.com",
        "country": "IE",
    }
    return RequestIntake(**(values | overrides))  # type: ignore[arg-type]


def test_intake_stamps_the_legal_deadlines_and_a_reference_and_is_audited(session: Session) -> None:
    request = create_request(session=session, principal=MANAGER, intake=_intake())
    session.commit()
    assert request.regime == "gdpr" and request.reference == f"DSR-2026-{request.id:05d}"
    assert request.due_date == date(2026, 3, 2)  # 31 Jan + 1 month = 28 Feb (Saturday) -> Mon 2 March
    assert request.requester_email == "ann@example.com" and request.status == S.RECEIVED
    ccpa = create_request(session=session, principal=MANAGER, intake=_intake(country="US", region="CA"))
    assert (ccpa.regime, ccpa.due_date, ccpa.acknowledge_by) == ("ccpa", date(2026, 3, 17), date(2026, 2, 13))
    assert session.scalar(select(func.count()).where(AuditEntry.action == "request.create")) == 2


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("requester_name", {"requester_name": " "}),
        ("requester_email", {"requester_email": "not-an-email"}),
        ("requester_email", {"requester_email": None, "requester_phone": None}),
        ("regime", {"regime": "mars"}),
        ("request_type", {"request_type": RequestType.OPT_OUT_SALE}),
        ("person_id", {"person_id": 987654}),
    ],
)
def test_intake_errors_name_the_field(session: Session, field: str, overrides: dict[str, object]) -> None:
    with pytest.raises(WorkflowError) as error:
        create_request(session=session, principal=MANAGER, intake=_intake(**overrides))
    assert error.value.field == field
    assert session.scalar(select(func.count()).select_from(SubjectRequest)) == 0


def test_people_are_suggested_from_email_phone_or_identifier(session: Session) -> None:
    person = make_person(session, email="ann@example.com", google_id="g-123")
    assert [m.person_id for m in suggest_people(session=session, values=["ANN@example.com ", None])] == [
        person.id
    ]
    assert [m.person_id for m in suggest_people(session=session, values=["g-123"])] == [person.id]


def test_the_workflow_runs_to_completion_with_every_step_on_the_timeline(session: Session) -> None:
    request = create_request(session=session, principal=MANAGER, intake=_intake())
    now = datetime(2026, 2, 2, 10, tzinfo=UTC)
    for target in (S.VERIFYING, S.IN_PROGRESS):
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=target,
            now=now,
        )
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=S.EXTENDED,
        reason="several systems",
        now=now,
    )
    assert request.extended_due_date == date(2026, 4, 30)  # three months from 31 January: 30 April
    with pytest.raises(WorkflowError, match="fulfilment"):
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=S.COMPLETED,
        )
    record_fulfilment(session=session, principal=MANAGER, request=request, note="package built")
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=S.COMPLETED,
        reason="package sent",
    )
    session.commit()
    kinds = session.scalars(
        select(SubjectRequestEvent.to_status)
        .where(SubjectRequestEvent.request_id == request.id, SubjectRequestEvent.kind == "status_change")
        .order_by(SubjectRequestEvent.id)
    ).all()
    assert kinds == ["verifying", "in_progress", "extended", "completed"]
    assert request.closed_at is not None and request.verified_at == now


def test_an_extension_notice_after_the_first_deadline_is_refused(session: Session) -> None:
    request = create_request(session=session, principal=MANAGER, intake=_intake())
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=S.IN_PROGRESS,
    )
    with pytest.raises(WorkflowError, match="had to be sent by 2026-03-02"):
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=S.EXTENDED,
            reason="late",
            now=datetime(2026, 3, 3, tzinfo=UTC),
        )


def test_a_second_manager_with_a_stale_version_is_told_and_nothing_is_lost(engine: Engine) -> None:
    factory = session_factory(engine)
    with factory() as session:
        request = create_request(session=session, principal=MANAGER, intake=_intake())
        session.commit()
        request_id, seen_version = request.id, request.version
    with factory() as first, factory() as second:  # both managers opened the request at the same version
        assign(
            session=first,
            principal=MANAGER,
            request_id=request_id,
            expected_version=seen_version,
            assignee="manager",
        )
        first.commit()
        with pytest.raises(ConcurrentUpdate, match="changed by someone else"):
            change_status(
                session=second,
                principal=OTHER,
                request_id=request_id,
                expected_version=seen_version,
                target=S.REJECTED,
                reason="duplicate",
            )
        second.rollback()
    with factory() as session:
        stored = session.get(SubjectRequest, request_id)
        assert stored is not None and stored.assignee == "manager" and stored.status == S.RECEIVED


def test_the_version_counter_catches_a_write_between_read_and_flush(engine: Engine) -> None:
    factory = session_factory(engine)
    with factory() as session:
        request = create_request(session=session, principal=MANAGER, intake=_intake())
        session.commit()
        request_id = request.id
    with factory() as slow, factory() as fast:
        stale = slow.get(SubjectRequest, request_id)
        assert stale is not None
        assign(
            session=fast,
            principal=OTHER,
            request_id=request_id,
            expected_version=stale.version,
            assignee="lee",
        )
        fast.commit()
        stale.assignee = "morgan"  # written from the copy read before the other commit
        with pytest.raises(Exception, match="(?i)stale|expected to update"):
            slow.flush()


def test_notes_auto_close_and_role_checks(session: Session) -> None:
    request = create_request(session=session, principal=MANAGER, intake=_intake())
    add_note(session=session, principal=MANAGER, request_id=request.id, note="called the requester")
    with pytest.raises(WorkflowError):
        add_note(session=session, principal=MANAGER, request_id=request.id, note=" ")
    assert close_unverified(session=session, principal=MANAGER, now=datetime(2026, 2, 15, tzinfo=UTC)) == []
    assert close_unverified(session=session, principal=MANAGER, now=datetime(2026, 3, 5, tzinfo=UTC)) == [
        request.reference
    ]
    assert request.status == S.CLOSED_UNVERIFIED
    with pytest.raises(AccessDenied):
        create_request(session=session, principal=Principal("a", "A", Role.AUDITOR), intake=_intake())
