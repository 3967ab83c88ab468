"""A litigation hold on a person: while it stands, the retention purge keeps everything of theirs
past every period (docs/retention.md). Placing and lifting it are a manager's acts, each with its
reason in the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.field_error import FieldError
from data_access.models import Person
from data_access.models.enums import AccountStatus
from data_access.queries.people import person_by_id
from data_access.rows import set_values

REASON_MAX = 500


def set_litigation_hold(
    *, session: Session, principal: Principal, person_id: int, held: bool, reason: str
) -> Person:
    """Place (`held`) or lift the hold; the reason (a case or matter reference, written without
    personal data) is required either way, since both change what the purge may remove. Flushes; the
    caller commits."""
    require(principal.role, "person.litigation_hold")
    reason = reason.strip()
    if not reason:
        raise FieldError("reason", "say why (the case or matter), without personal data")
    if len(reason) > REASON_MAX:
        raise FieldError("reason", f"at most {REASON_MAX} characters")
    person = person_by_id(session, person_id)
    if person is None:
        raise FieldError("person", f"no person with id {person_id}")
    if person.status == AccountStatus.ANONYMISED:
        raise FieldError("person", "this person was erased: nothing of theirs is left to hold")
    if person.litigation_hold == held:
        raise FieldError("person", "already under litigation hold" if held else "not under litigation hold")
    set_values(session, person, {"litigation_hold": held})
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="person.litigation_hold" if held else "person.litigation_hold_lifted",
        object_type="person",
        object_id=person_id,
        details={"held": held, "reason": reason},
    )
    return person


def is_held(*, session: Session, person_id: int) -> bool:
    person = person_by_id(session, person_id)
    return bool(person and person.litigation_hold)
