"""Finding a person by any identifier, through indexed lookups only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from data_access.models import Contact, PersistentIdentifier, Person


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    external_ref: str
    username: str | None
    full_name: str | None
    email: str | None
    phone: str | None
    country: str
    region: str | None
    status: str
    created_at: datetime


def find_people(*, session: Session, term: str, limit: int = 20) -> list[PersonMatch]:
    """Exact match on email, username, user id (external ref or numeric id), phone or identifier value."""
    term = term.strip()
    if not term:
        return []
    by_identifier = select(PersistentIdentifier.person_id).where(PersistentIdentifier.value == term)
    conditions = [Contact.email == term.lower(), Person.username == term, Person.external_ref == term,
                  Contact.phone == term, Person.id.in_(by_identifier)]
    if term.isdigit():
        conditions.append(Person.id == int(term))
    stmt = (select(Person.id.label("person_id"), Person.external_ref, Person.username, Contact.full_name, Contact.email, Contact.phone,
                   Person.country, Person.region, Person.status, Person.created_at)
            .join(Contact, Contact.person_id == Person.id, isouter=True).where(or_(*conditions)).limit(limit))
    return [PersonMatch(**row._asdict()) for row in session.execute(stmt).all()]
