"""Small factories for tests: a person with contact details, a request, a preference event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from data_access.models import Contact, PersistentIdentifier, Person, SubjectRequest

_ids = count(1)


def make_person(
    session: Session,
    *,
    email: str | None = None,
    phone: str | None = None,
    country: str = "US",
    region: str | None = "CA",
    google_id: str | None = None,
    name: str = "Test Person",
) -> Person:
    n = next(_ids)
    person = Person(
        external_ref=f"T{n:07d}",
        username=f"test.person{n}",
        country=country,
        region=region,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    person.contact = Contact(full_name=name, email=email or f"test.person{n}@example.com", phone=phone)
    if google_id:
        person.identifiers.append(
            PersistentIdentifier(
                kind="google_id", value=google_id, first_seen=person.created_at, last_seen=person.created_at
            )
        )
    session.add(person)
    session.flush()
    return person


def make_request(session: Session, **overrides: Any) -> SubjectRequest:
    n = next(_ids)
    values: dict[str, Any] = {
        "reference": f"DSR-T-{n:05d}",
        "request_type": "access",
        "regime": "gdpr",
        "channel": "web_form",
        "requester_name": "Test Person",
        "requester_email": "test@example.com",
        "received_at": datetime(2026, 3, 5, 10, tzinfo=UTC),
        "received_tz": "UTC",
        "due_date": date(2026, 4, 6),
        "status": "received",
        "created_by": "test",
    }
    request = SubjectRequest(**(values | overrides))
    session.add(request)
    session.flush()
    return request
