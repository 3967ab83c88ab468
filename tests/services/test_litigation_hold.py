"""A litigation hold is a manager's act with its reason, audited; an erased person cannot be held
(both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.rules.field_error import FieldError
from dashboard.services.litigation_hold import is_held, set_litigation_hold
from data_access.models import AuditEntry
from data_access.models.enums import AccountStatus, Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)


def test_a_manager_places_and_lifts_a_hold_each_audited_with_its_reason(session: Session) -> None:
    person = make_person(session)
    set_litigation_hold(
        session=session, principal=MANAGER, person_id=person.id, held=True, reason="Case 2026-17"
    )
    assert is_held(session=session, person_id=person.id)
    set_litigation_hold(
        session=session, principal=MANAGER, person_id=person.id, held=False, reason="Case closed"
    )
    session.commit()
    assert not is_held(session=session, person_id=person.id)
    entries = session.execute(
        select(AuditEntry.action, AuditEntry.object_id, AuditEntry.details).order_by(AuditEntry.id)
    ).all()
    assert [(a, o, d["reason"]) for a, o, d in entries] == [
        ("person.litigation_hold", str(person.id), "Case 2026-17"),
        ("person.litigation_hold_lifted", str(person.id), "Case closed"),
    ]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EXECUTIVE, Role.ADMIN])
def test_only_managers_may(session: Session, role: Role) -> None:
    person = make_person(session)
    with pytest.raises(AccessDenied):
        set_litigation_hold(
            session=session,
            principal=Principal("x", "X", role),
            person_id=person.id,
            held=True,
            reason="Case 1",
        )


def test_a_reason_is_required_and_an_erased_person_cannot_be_held(session: Session) -> None:
    person = make_person(session)
    with pytest.raises(FieldError) as missing:
        set_litigation_hold(session=session, principal=MANAGER, person_id=person.id, held=True, reason="  ")
    assert missing.value.field == "reason"
    person.status = AccountStatus.ANONYMISED
    with pytest.raises(FieldError, match="erased"):
        set_litigation_hold(
            session=session, principal=MANAGER, person_id=person.id, held=True, reason="Case 1"
        )
