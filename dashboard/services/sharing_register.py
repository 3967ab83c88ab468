"""Adding a sharing record: validated against the recipients register and the policy before anything
is written.

The form cannot create what the checks would flag: no phone numbers or SMS capability, only approved
recipients under contract and within their categories, only service purposes, and consent checked
person by person where consent is the basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.field_error import FieldError
from dashboard.rules.sharing_rules import (
    phone_or_sms_problems,
    purpose_problems,
    recipient_problems,
    unknown_categories,
)
from data_access import registers_repo
from data_access.models import SharingRecord
from data_access.models.enums import LegalBasis


class SharingInputError(FieldError):
    """A sharing record that breaks a rule of the register or the policy."""


@dataclass(frozen=True)
class SharingInput:
    recipient_id: int
    shared_at: datetime
    categories: tuple[str, ...]
    purpose: str
    legal_basis: LegalBasis
    person_ids: tuple[int, ...]
    consent_scope: str | None = None
    description: str | None = None


def record_sharing(*, session: Session, principal: Principal, entry: SharingInput) -> SharingRecord:
    require(principal.role, "sharing.record")
    check_sharing(session, entry)
    sharing = SharingRecord(
        recipient_id=entry.recipient_id,
        shared_at=entry.shared_at,
        categories=list(entry.categories),
        purpose=entry.purpose,
        legal_basis=entry.legal_basis,
        consent_scope=entry.consent_scope,
        description=entry.description,
        recorded_by=principal.username,
    )
    references = _consent_references(session, entry) if entry.legal_basis == LegalBasis.CONSENT else {}
    registers_repo.add_sharing(session, sharing, entry.person_ids, references)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="sharing.record",
        object_type="sharing_record",
        object_id=sharing.id,
        details={
            "recipient_id": entry.recipient_id,
            "categories": list(entry.categories),
            "people": len(entry.person_ids),
        },
    )
    return sharing


def check_sharing(session: Session, entry: SharingInput) -> None:
    """Every rule record_sharing applies, without writing (an import's dry run reads only);
    SharingInputError."""
    recipient = registers_repo.recipient(session, entry.recipient_id)
    if recipient is None:
        raise SharingInputError("recipient", f"no recipient with id {entry.recipient_id}")
    if entry.shared_at.tzinfo is None:
        raise SharingInputError("shared_at", "the time of sharing needs a time zone")
    if not entry.categories:
        raise SharingInputError("categories", "name at least one data category")
    if unknown := unknown_categories(entry.categories):
        raise SharingInputError("categories", f"not fideslang data categories: {', '.join(unknown)}")
    for field, problems in (
        ("categories", phone_or_sms_problems(entry.categories, entry.purpose)),
        (
            "recipient",
            recipient_problems(
                approved=recipient.approved,
                contract_status=recipient.contract_status,
                allowed=recipient.allowed_categories,
                categories=entry.categories,
            ),
        ),
        ("purpose", purpose_problems(entry.purpose)),
    ):
        if problems:
            raise SharingInputError(field, "; ".join(problems) + " (the privacy policy does not allow it)")
    if not entry.person_ids:
        raise SharingInputError("people", "name the people whose data was shared")
    known = registers_repo.stored_person_ids(session, entry.person_ids)
    if missing := sorted(set(entry.person_ids) - known):
        raise SharingInputError("people", f"no person with id {', '.join(map(str, missing[:10]))}")
    if entry.legal_basis == LegalBasis.CONSENT:
        if not entry.consent_scope:
            raise SharingInputError("consent_scope", "a consent scope is required when the basis is consent")
        lacking = sorted(set(entry.person_ids) - set(_consent_references(session, entry)))
        if lacking:
            raise SharingInputError(
                "people",
                "no valid consent at that time for person "
                + ", ".join(map(str, lacking[:10]))
                + ("..." if len(lacking) > 10 else ""),
            )


def _consent_references(session: Session, entry: SharingInput) -> dict[int, str]:
    return registers_repo.consent_references(session, entry.person_ids, entry.consent_scope, entry.shared_at)
