"""Finding a person by any identifier, or by part of a name, email or phone, through indexed lookups only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, literal_column, or_, select, text, union
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


SEARCH_LIMIT = 50  # issue 4: at most 50 shown
MIN_PARTIAL = 3  # trigrams: a shorter term has no trigram to look up, so it matches exactly only
# Partial matches are ranked among at most this many (the first the index yields: by id on SQLite,
# in table order on PostgreSQL; sorting every match first would cost what the cap saves): ranking
# every match of a term like "example" (every email) would read the whole table. Past it, the user
# narrows the term. At 1M people on SQLite, ranking 1,000 read 1,000 contacts pages, past the
# default 2 MB page cache: 40-55 ms; 250 took 0.3 ms.
PARTIAL_CANDIDATES = 250


def find_people(*, session: Session, term: str, limit: int = 20) -> list[PersonMatch]:
    """Exact match on email, username, user id (external ref or numeric id), phone or identifier value."""
    term = term.strip()
    if not term:
        return []
    return _matches(session, _exact_ids(session, term, limit))


def search_people(*, session: Session, term: str, limit: int = SEARCH_LIMIT) -> list[PersonMatch]:
    """Ranked: exact identifiers first (find_people), then people whose name, email or phone contains the term
    (3+ characters): an exact value, then a value or name word starting with it, then the rest; by
    name within."""
    term = term.strip()
    if not term:
        return []
    exact = _exact_ids(session, term, limit)
    ranked = exact + [pid for pid in _partial_ids(session, term, limit + len(exact)) if pid not in exact]
    return _matches(session, ranked[:limit])


def _exact_ids(session: Session, term: str, limit: int) -> list[int]:
    # A UNION of single-column lookups, each served by its own index (an OR across a join would scan people).
    lookups = [
        select(Contact.person_id).where(Contact.email == term.lower()),
        select(Contact.person_id).where(Contact.phone == term),
        select(Person.id).where(Person.username == term),
        select(Person.id).where(Person.external_ref == term),
        select(PersistentIdentifier.person_id).where(PersistentIdentifier.value == term),
    ]
    if term.isdigit():
        lookups.append(select(Person.id).where(Person.id == int(term)))
    matched = union(*lookups).subquery()
    return list(session.scalars(select(matched.c[0]).order_by(matched.c[0]).limit(limit)))


def _partial_ids(session: Session, term: str, limit: int) -> list[int]:
    """Ids of people whose name, email or phone contains `term`, best first (see search_people)."""
    needle = term.lower()
    if len(needle) < MIN_PARTIAL:
        return []
    candidates = _candidates(session, needle).subquery()
    name, email, phone = func.lower(Contact.full_name), Contact.email, Contact.phone
    exact = or_(name == needle, email == needle, phone == needle)
    starts = or_(
        *(column.startswith(needle, autoescape=True) for column in (name, email, phone)),
        name.contains(" " + needle, autoescape=True),
    )
    rank = case((exact, 0), (starts, 1), else_=2)
    stmt = (
        select(Contact.person_id)
        .where(Contact.person_id.in_(select(candidates.c[0])))
        .order_by(rank, Contact.full_name, Contact.person_id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def _candidates(session: Session, needle: str) -> Select[Any]:
    """Up to PARTIAL_CANDIDATES ids through the search index of migration 0019: FTS5 trigram on
    SQLite, pg_trgm GIN indexes on PostgreSQL. The term is data, never syntax: an FTS5 phrase with
    its quotes doubled; LIKE with its wildcards escaped."""
    if session.get_bind().dialect.name == "sqlite":
        phrase = '"' + needle.replace('"', '""') + '"'
        return (
            select(literal_column("rowid"))
            .select_from(text("contact_search"))
            .where(text("contact_search MATCH :phrase").bindparams(phrase=phrase))
            .limit(PARTIAL_CANDIDATES)
        )
    columns = (func.lower(Contact.full_name), Contact.email, Contact.phone)  # as indexed: lower() on the name
    return (
        select(Contact.person_id)
        .where(or_(*(c.contains(needle, autoescape=True) for c in columns)))
        .limit(PARTIAL_CANDIDATES)
    )


def _matches(session: Session, ids: list[int]) -> list[PersonMatch]:
    """The people with these ids, in the order given."""
    if not ids:
        return []
    stmt = (
        select(
            Person.id.label("person_id"),
            Person.external_ref,
            Person.username,
            Contact.full_name,
            Contact.email,
            Contact.phone,
            Person.country,
            Person.region,
            Person.status,
            Person.created_at,
        )
        .join(Contact, Contact.person_id == Person.id, isouter=True)
        .where(Person.id.in_(ids))
    )
    found = {row.person_id: PersonMatch(**row._asdict()) for row in session.execute(stmt).all()}
    return [found[pid] for pid in ids if pid in found]


def any_person_stored(session: Session) -> bool:
    return session.scalar(select(Person.id).limit(1)) is not None


def person_by_id(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)
