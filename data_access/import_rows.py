"""The statements `compliance import KIND FILE` runs for the kinds with no service of their own (messages,
business-transfer and policy notices, policy versions, new people) and the look-ups every kind makes.

The rules (columns, natural keys, which reference must exist) are in dashboard.imports.kinds; the caller owns
the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import (
    BusinessTransfer,
    BusinessTransferPerson,
    ImportBatch,
    LegalRequest,
    Message,
    Person,
    PolicyNotification,
    PolicyVersion,
    Recipient,
    RejectedRow,
    SharingRecord,
    SubjectRequest,
)
from data_access.models.enums import Channel, MessageKind


def person_ids_by_ref(session: Session, refs: Sequence[str]) -> dict[str, int]:
    """User ids (the billing platform's) -> person ids, for those stored."""
    rows = session.execute(select(Person.external_ref, Person.id).where(Person.external_ref.in_(refs))).all()
    return {str(ref): int(person) for ref, person in rows}


def recipient_id(session: Session, name: str) -> int | None:
    return session.scalar(select(Recipient.id).where(Recipient.name == name))


def legal_request_stored(session: Session, reference: str) -> bool:
    return session.scalar(select(LegalRequest.id).where(LegalRequest.reference == reference)) is not None


def subject_request_stored(session: Session, external_id: str | None) -> bool:
    return (
        session.scalar(select(SubjectRequest.id).where(SubjectRequest.external_id == external_id)) is not None
    )


def add_person(session: Session, person: Person) -> None:
    """A new person with the contact, billing profile and identifiers attached to it."""
    session.add(person)
    session.flush()


# --- messages -------------------------------------------------------------------------------------
def message_stored(
    session: Session,
    person_id: int,
    sent_at: datetime,
    channel: Channel,
    kind: MessageKind,
    campaign: str | None,
) -> bool:
    """By meaning, not by key: an earlier import may have written the time with another offset."""
    return (
        session.scalar(
            select(Message.id)
            .where(
                Message.person_id == person_id,
                Message.sent_at == sent_at,
                Message.channel == channel,
                Message.kind == kind,
                Message.campaign.is_(None) if campaign is None else Message.campaign == campaign,
            )
            .limit(1)
        )
        is not None
    )


def add_message(
    session: Session,
    *,
    person_id: int,
    channel: Channel,
    kind: MessageKind,
    campaign: str | None,
    sent_at: datetime,
    batch_id: int,
    natural_key: str,
) -> None:
    session.add(
        Message(
            person_id=person_id,
            channel=channel,
            kind=kind,
            campaign=campaign,
            sent_at=sent_at,
            batch_id=batch_id,
            natural_key=natural_key,
        )
    )


# --- sharing --------------------------------------------------------------------------------------
def sharing_categories(
    session: Session, recipient: str, shared_at: datetime, purpose: str
) -> list[list[str]]:
    """The categories of each sharing with this recipient (by name), instant and purpose."""
    return [
        list(categories)
        for categories in session.scalars(
            select(SharingRecord.categories)
            .join(Recipient, Recipient.id == SharingRecord.recipient_id)
            .where(
                Recipient.name == recipient,
                SharingRecord.shared_at == shared_at,
                SharingRecord.purpose == purpose,
            )
        )
    ]


# --- business transfers ---------------------------------------------------------------------------
def transfer_notice_stored(session: Session, counterparty: str, effective_date: date, person_id: int) -> bool:
    return (
        session.scalar(
            select(BusinessTransferPerson.person_id)
            .join(BusinessTransfer, BusinessTransfer.id == BusinessTransferPerson.transfer_id)
            .where(
                BusinessTransfer.counterparty == counterparty,
                BusinessTransfer.effective_date == effective_date,
                BusinessTransferPerson.person_id == person_id,
            )
        )
        is not None
    )


def add_transfer_notice(
    session: Session,
    *,
    event: str,
    counterparty: str,
    effective_date: date,
    person_id: int,
    notified_at: datetime | None,
    channel: str | None,
) -> None:
    """The person's notice of the transfer with this counterparty and date, the transfer created on
    first use."""
    transfer = session.scalar(
        select(BusinessTransfer).where(
            BusinessTransfer.counterparty == counterparty, BusinessTransfer.effective_date == effective_date
        )
    )
    if transfer is None:
        transfer = BusinessTransfer(event=event, counterparty=counterparty, effective_date=effective_date)
        session.add(transfer)
        session.flush()
    session.add(
        BusinessTransferPerson(
            transfer_id=transfer.id, person_id=person_id, notified_at=notified_at, channel=channel
        )
    )
    session.flush()


# --- policy versions and notices ------------------------------------------------------------------
def policy_version_id(session: Session, version: str) -> int | None:
    found = session.scalar(select(PolicyVersion.id).where(PolicyVersion.version == version))
    return None if found is None else int(found)


def add_policy_version(
    session: Session, *, version: str, effective_date: date, published_at: datetime, summary: str, text: str
) -> None:
    session.add(
        PolicyVersion(
            version=version,
            effective_date=effective_date,
            published_at=published_at,
            summary=summary,
            text=text,
        )
    )


def policy_notice_stored(session: Session, version: str, person_id: int) -> bool:
    return (
        session.scalar(
            select(PolicyNotification.person_id)
            .join(PolicyVersion, PolicyVersion.id == PolicyNotification.policy_version_id)
            .where(PolicyVersion.version == version, PolicyNotification.person_id == person_id)
        )
        is not None
    )


def add_policy_notice(
    session: Session, *, version_id: int, person_id: int, notified_at: datetime, channel: str
) -> None:
    session.add(
        PolicyNotification(
            policy_version_id=version_id, person_id=person_id, notified_at=notified_at, channel=channel
        )
    )
    session.flush()


# --- import batches -------------------------------------------------------------------------------
def add_batch(session: Session, batch: ImportBatch) -> None:
    session.add(batch)
    session.flush()


def close_batch(session: Session, batch: ImportBatch, rejected: Iterable[RejectedRow]) -> None:
    """Store the batch's rejected rows and the counts already set on it."""
    session.add_all(rejected)
    session.flush()
