"""A people import updates the people it already holds: the upsert rule for the user id key.

A row whose user id is stored is compared field by field with the person: the same values are `unchanged` (a
re-import changes nothing); different ones update the person, each changed field leaving a field history row
(old and new value, who) like a correction request (dashboard.fulfilment.correction), and one audit
entry per person naming the fields (the values stay in the field history, which an erasure blanks).
An empty cell leaves the stored value: a file that lacks a phone does not erase one (removing data is an
erasure's or a correction's job). The user id and the account's creation time are the account's identity, not
facts about the person, and never change by import.

The account's closure (`account_status`, `closed_at`; dashboard.rules.account_closure) updates
status and closed_at the same way: a closure time closes the account, an open status reopens it
and clears the time, and both empty leave them as stored.

An erased person's user id is refused, new or not (dashboard.privacy.erased_reference): re-importing the
billing platform's export must not bring them back. The refused line is not kept in the batch's rejected rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.privacy.erased_reference import erased_reference
from dashboard.rules.account_closure import Closure, account_closure
from dashboard.rules.field_error import FieldError
from data_access.field_history import FieldUpdate, add_field_updates
from data_access.models import Person
from data_access.models.enums import AccountStatus
from data_access.people_upsert import (
    BILLING,
    CONTACT,
    IDENTIFIERS,
    PERSON,
    google_id_holder,
    person_by_ref,
    reference_taken,
    set_values,
    stored_value,
    username_holder,
)
from data_access.types import utcnow

# the file's column -> (table, field) it updates
FIELDS: dict[str, tuple[str, str]] = {
    "username": (PERSON, "username"),
    "country": (PERSON, "country"),
    "region": (PERSON, "region"),
    "full_name": (CONTACT, "full_name"),
    "email": (CONTACT, "email"),
    "phone": (CONTACT, "phone"),
    "card_brand": (BILLING, "card_brand"),
    "card_last4": (BILLING, "card_last4"),
    "billing_address": (BILLING, "address_line"),
    "billing_city": (BILLING, "city"),
    "billing_postal_code": (BILLING, "postal_code"),
    "google_id": (IDENTIFIERS, "google_id"),
}
UPPER = ("country", "region")


class PersonErased(FieldError):
    """The row's user id is an erased person's. The row's values are theirs: the rejected line is not kept."""

    withhold_raw = True

    def __init__(self) -> None:
        super().__init__(
            "user_id",
            "this user id belongs to a person who was erased: an import neither "
            "re-creates nor updates them (GDPR Art. 17, CCPA 1798.105)",
        )


def refuse_erased(session: Session, row: dict[str, Any]) -> None:
    """For a user id not stored: raise PersonErased if an erased person's tombstone holds it."""
    if reference_taken(session, erased_reference(row["user_id"])):
        raise PersonErased()


def closure_of(row: dict[str, Any]) -> Closure | None:
    """The account's closure the row states (None: as stored); FieldError naming the column if
    contradictory."""
    return account_closure(row.get("account_status"), row.get("closed_at"), created_at=row.get("created_at"))


def closure_changes(person: Person, closure: Closure | None) -> list[FieldUpdate]:
    """The status and closure time the closure changes on the person, as text (field history's
    form)."""
    if closure is None:
        return []
    changes = []
    for field, old, new in (
        ("status", person.status, closure.status_for(person.status)),
        ("closed_at", _instant(person.closed_at), _instant(closure.closed_at)),
    ):
        if field_text(old) != field_text(new):
            changes.append(FieldUpdate(PERSON, field, field_text(old), field_text(new)))
    return changes


def person_changes(session: Session, row: dict[str, Any]) -> tuple[FieldUpdate, ...]:
    """What the row would change on the stored person (empty: unchanged); reads only, so a dry run uses it.
    Raises FieldError for a value another person holds (a username, a Google ID), naming the column."""
    person = person_by_ref(session, row["user_id"])
    if person is None:
        raise LookupError(f"no person with user id {row['user_id']}")  # the runner asks only for stored keys
    changes = []
    for column, (table, field) in FIELDS.items():
        new, old = _normalised(column, row.get(column)), stored_value(person, table, field)
        if new is not None and new != _normalised(column, old):
            _refuse_taken(session, person, column, new)
            changes.append(FieldUpdate(table, field, None if old is None else str(old), new))
    return (*changes, *closure_changes(person, closure_of(row)))


def update_person(
    session: Session,
    principal: Principal,
    row: dict[str, Any],
    changes: tuple[FieldUpdate, ...],
    batch_id: int,
) -> None:
    person = person_by_ref(session, row["user_id"])
    assert person is not None
    set_values(session, person, {(c.table, c.field): _typed(c) for c in changes}, utcnow())
    add_field_updates(session, changes, by=principal.username, person_id=person.id)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="person.import_update",
        object_type="person",
        object_id=person.id,
        details={"fields": [f"{c.table}.{c.field}" for c in changes], "batch_id": batch_id},
    )


def _typed(change: FieldUpdate) -> object:
    """The value to store: field history keeps text; status and closed_at are stored as their
    types."""
    if change.new is None or change.table != PERSON or change.field not in ("status", "closed_at"):
        return change.new
    if change.field == "status":
        return AccountStatus(change.new)
    return datetime.fromisoformat(change.new)


def _instant(moment: datetime | None) -> datetime | None:
    """A time compared by its UTC instant, whatever offset the file wrote."""
    return None if moment is None else moment.astimezone(UTC)


def field_text(value: object) -> str | None:
    """A value as field history keeps it (a time in ISO 8601)."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _normalised(column: str, value: Any) -> str | None:
    """The value as a new person's row would store it; None for an empty cell (keep what is stored)."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    return text.upper() if column in UPPER else text.lower() if column == "email" else text


def _refuse_taken(session: Session, person: Person, column: str, value: str) -> None:
    holder = (
        username_holder(session, value)
        if column == "username"
        else google_id_holder(session, value)
        if column == "google_id"
        else None
    )
    if holder is not None and holder != person.id:
        raise FieldError(column, f"{value!r} is held by another person; the person is not updated")
