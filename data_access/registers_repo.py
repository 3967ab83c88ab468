"""The statements of the legal-requests and sharing registers (the rules:
dashboard.services.legal_register and dashboard.services.sharing_register); the caller owns the
transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from data_access.models import (
    Consent,
    LegalRequest,
    LegalRequestPerson,
    Person,
    Recipient,
    SharingRecord,
    SharingRecordPerson,
)


def stored_person_ids(session: Session, person_ids: Collection[int]) -> set[int]:
    """Which of these person ids are stored."""
    return set(session.scalars(select(Person.id).where(Person.id.in_(person_ids))))


# --- legal requests -------------------------------------------------------------------------------
def add_legal_request(
    session: Session, request: LegalRequest, person_ids: Collection[int], reference: str
) -> None:
    """Store the request and the accounts it names; `reference` is formatted with the new id ({id})."""
    session.add(request)
    session.flush()
    request.reference = reference.format(id=request.id)
    session.add_all(LegalRequestPerson(legal_request_id=request.id, person_id=pid) for pid in person_ids)
    session.flush()


def mark_people_notified(session: Session, request_id: int, at: datetime) -> int:
    """Every person of the request not yet told is told at `at`; how many."""
    result = session.execute(
        update(LegalRequestPerson)
        .where(LegalRequestPerson.legal_request_id == request_id, LegalRequestPerson.notified_at.is_(None))
        .values(notified_at=at)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- sharing --------------------------------------------------------------------------------------
def add_sharing(
    session: Session,
    sharing: SharingRecord,
    person_ids: Collection[int],
    consent_references: Mapping[int, str],
) -> None:
    """Store the sharing and the people whose data it shared, each with the consent it relied on, if any."""
    session.add(sharing)
    session.flush()
    session.add_all(
        SharingRecordPerson(
            sharing_record_id=sharing.id, person_id=pid, consent_reference=consent_references.get(pid)
        )
        for pid in person_ids
    )
    session.flush()


def consent_references(
    session: Session, person_ids: Collection[int], scope: str | None, at: datetime
) -> dict[int, str]:
    """person id -> the reference of their consent of this scope in force at `at` (given, not yet
    withdrawn)."""
    c = Consent
    rows = session.execute(
        select(c.person_id, c.reference).where(
            c.person_id.in_(person_ids),
            c.scope == scope,
            c.given_at <= at,
            or_(c.withdrawn_at.is_(None), c.withdrawn_at > at),
        )
    ).all()
    return {int(pid): str(ref) for pid, ref in rows}


def recipient(session: Session, recipient_id: int) -> Recipient | None:
    return session.get(Recipient, recipient_id)


def legal_request(session: Session, request_id: int) -> LegalRequest | None:
    return session.get(LegalRequest, request_id)
