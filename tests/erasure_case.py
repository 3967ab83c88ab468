"""A person erased through the real service, whose data went to two recipients before: the starting point of
the follow-through tests at every level (services, pages, browser), on an empty or a demo database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy import Engine

from dashboard.auth.service import Principal
from dashboard.fulfilment.erasure import fulfil_deletion
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import change_status
from data_access.db import session_factory
from data_access.models import Invoice, Recipient, SharingRecord, SharingRecordPerson
from data_access.models.enums import (
    ContractStatus,
    LegalBasis,
    RecipientRole,
    RequestChannel,
    RequestStatus,
    RequestType,
    Role,
)
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
_cases = count(1)


@dataclass(frozen=True)
class ErasedCase:
    request_id: int
    reference: str
    person_id: int
    recipients: dict[str, int]  # name -> id
    email: str


def erase_someone(engine: Engine, *, received: datetime | None = None) -> ErasedCase:
    n = next(_cases)
    received = received or datetime.now(UTC) - timedelta(days=2)
    with session_factory(engine)() as session:
        email = f"erase.me{n}.{received:%H%M%S}@example.org"
        person = make_person(session, email=email, name=f"Erin Erasable {n}")
        session.add(
            Invoice(
                person_id=person.id,
                number=f"INV-ERASE-{n}-{received:%H%M%S%f}",
                issued_at=received - timedelta(days=40),
                amount_cents=1200,
                currency="USD",
                billing_name="Erin Erasable",
                billing_address="1 Erasure Road",
            )
        )
        recipients = {}
        for role in (RecipientRole.HOSTING, RecipientRole.PAYMENT_PROCESSOR):
            name = f"Erasure {role.value.replace('_', ' ').title()} {n} {received:%H%M%S%f}"
            recipient = Recipient(
                name=name,
                role=role,
                country="IE",
                contract_status=ContractStatus.SIGNED,
                approved=True,
                allowed_categories=["user.contact.email"],
            )
            session.add(recipient)
            session.flush()
            record = SharingRecord(
                recipient_id=recipient.id,
                shared_at=received - timedelta(days=10),
                categories=["user.contact.email"],
                purpose="essential.service",
                legal_basis=LegalBasis.CONTRACT,
                recorded_by="test",
            )
            session.add(record)
            session.flush()
            session.add(SharingRecordPerson(sharing_record_id=record.id, person_id=person.id))
            recipients[name] = recipient.id
        request = create_request(
            session=session,
            principal=MANAGER,
            intake=RequestIntake(
                requester_name=f"Erin Erasable {n}",
                request_type=RequestType.DELETION,
                channel=RequestChannel.WEB_FORM,
                received_at=received,
                requester_email=email,
                country="IE",
                person_id=person.id,
            ),
        )
        for target in (RequestStatus.VERIFYING, RequestStatus.IN_PROGRESS):
            change_status(
                session=session,
                principal=MANAGER,
                request_id=request.id,
                expected_version=request.version,
                target=target,
            )
        fulfil_deletion(
            session=session, principal=MANAGER, request_id=request.id, expected_version=request.version
        )
        case = ErasedCase(request.id, request.reference, person.id, recipients, email)
        session.commit()
    return case
