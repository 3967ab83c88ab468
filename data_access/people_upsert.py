"""What a people import reads and writes to update a person already stored (imports upsert by user id).

The rule (which fields, what counts as a change, the field history and the audit) is in
dashboard.imports.people_upsert; here are its statements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data_access.models import BillingProfile, Contact, PersistentIdentifier, Person
from data_access.models.enums import IdentifierKind

# table of the field -> the person's row holding it (identifiers: the person's Google ID)
PERSON, CONTACT, BILLING, IDENTIFIERS = "people", "contacts", "billing_profiles", "identifiers"


def person_by_ref(session: Session, ref: str) -> Person | None:
    """The person with this user id, their contact, billing profile and identifiers loaded."""
    return session.scalar(
        select(Person)
        .where(Person.external_ref == ref)
        .options(
            selectinload(Person.contact),
            selectinload(Person.billing_profile),
            selectinload(Person.identifiers),
        )
    )


def reference_taken(session: Session, ref: str) -> bool:
    """Is this external_ref held by anyone (an erased person's tombstone included)?"""
    return session.scalar(select(Person.id).where(Person.external_ref == ref)) is not None


def username_holder(session: Session, username: str) -> int | None:
    return session.scalar(select(Person.id).where(Person.username == username))


def google_id_holder(session: Session, value: str) -> int | None:
    return session.scalar(
        select(PersistentIdentifier.person_id).where(
            PersistentIdentifier.kind == IdentifierKind.GOOGLE_ID, PersistentIdentifier.value == value
        )
    )


def google_id(person: Person) -> str | None:
    return next((i.value for i in person.identifiers if i.kind == IdentifierKind.GOOGLE_ID), None)


def stored_value(person: Person, table: str, field: str) -> object:
    """The person's current value of table.field (None where the row holding it does not exist)."""
    if table == IDENTIFIERS:
        return google_id(person)
    row = {PERSON: person, CONTACT: person.contact, BILLING: person.billing_profile}[table]
    return None if row is None else getattr(row, field)


def set_values(session: Session, person: Person, values: dict[tuple[str, str], object], at: datetime) -> None:
    """Write the new values, creating the contact, billing profile or Google ID row the person lacks."""
    for (table, field), value in values.items():
        if table == IDENTIFIERS:
            if value is not None:  # an import never removes an identifier (an empty cell keeps it)
                _set_google_id(person, str(value), at)
            continue
        if table == CONTACT and person.contact is None:
            person.contact = Contact()
        if table == BILLING and person.billing_profile is None:
            person.billing_profile = BillingProfile(country=person.country)
        setattr(
            {PERSON: person, CONTACT: person.contact, BILLING: person.billing_profile}[table], field, value
        )
    person.updated_at = at
    session.flush()


def _set_google_id(person: Person, value: str, at: datetime) -> None:
    identifier = next((i for i in person.identifiers if i.kind == IdentifierKind.GOOGLE_ID), None)
    if identifier is None:
        person.identifiers.append(
            PersistentIdentifier(kind=IdentifierKind.GOOGLE_ID, value=value, first_seen=at, last_seen=at)
        )
    else:
        identifier.value, identifier.last_seen = value, at
