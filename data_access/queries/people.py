"""Finding a person by any identifier, through indexed lookups only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, union
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
    # A UNION of single-column lookups, each served by its own index (an OR across a join would scan people).
    lookups = [select(Contact.person_id).where(Contact.email == term.lower()),
               select(Contact.person_id).where(Contact.phone == term),
               select(Person.id).where(Person.username == term),
               select(Person.id).where(Person.external_ref == term),
               select(PersistentIdentifier.person_id).where(PersistentIdentifier.value == term)]
    if term.isdigit():
        lookups.append(select(Person.id).where(Person.id == int(term)))
    matched = union(*lookups).subquery()
    stmt = (select(Person.id.label("person_id"), Person.external_ref, Person.username, Contact.full_name, Contact.email,
                   Contact.phone, Person.country, Person.region, Person.status, Person.created_at)
            .join(Contact, Contact.person_id == Person.id, isouter=True)
            .where(Person.id.in_(select(matched.c[0]))).order_by(Person.id).limit(limit))
    return [PersonMatch(**row._asdict()) for row in session.execute(stmt).all()]
