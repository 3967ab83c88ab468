"""Adding a recipient to the register: one set of rules for the Sharing page's form and the recipients import.

The register is what the sharing checks read (approved, contract/DPA status, allowed categories), so an entry
is refused unless each of those is something the checks can read: a name not already registered, an ISO 3166
alpha-2 country, fideslang categories, a DPA signing date that is not in the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.field_error import FieldError
from dashboard.rules.sharing_rules import unknown_categories
from data_access.models import Recipient
from data_access.models.enums import ContractStatus, RecipientRole
from data_access.types import utcnow

NAME_LIMIT = 200


class RecipientInputError(FieldError):
    """A recipient that cannot be registered as given."""


@dataclass(frozen=True)
class RecipientInput:
    name: str
    role: RecipientRole
    country: str
    contract_status: ContractStatus
    approved: bool
    dpa_signed_on: date | None = None
    allowed_categories: tuple[str, ...] = ()


def check_recipient(session: Session, entry: RecipientInput) -> tuple[str, str]:
    """The rules an entry must meet, reading only (an import's dry run calls this alone); its name and country
    as they will be stored."""
    name, country = entry.name.strip(), entry.country.strip().upper()
    if not name or len(name) > NAME_LIMIT:
        raise RecipientInputError("name", f"give the recipient's name (at most {NAME_LIMIT} characters)")
    if session.scalar(select(Recipient.id).where(Recipient.name == name)) is not None:
        raise RecipientInputError("name", f"{name!r} is already in the register")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise RecipientInputError("country", f"{entry.country!r} is not a two-letter ISO 3166 country code")
    if entry.dpa_signed_on is not None and entry.dpa_signed_on > utcnow().date():
        raise RecipientInputError("dpa_signed_on", "the DPA signing date is in the future")
    if unknown := unknown_categories(entry.allowed_categories):
        raise RecipientInputError("allowed_categories", f"not fideslang data categories: {', '.join(unknown)}")
    return name, country


def add_recipient(*, session: Session, principal: Principal, entry: RecipientInput,
                  batch_id: int | None = None) -> Recipient:
    """Validate and register the recipient; flush only. `batch_id`: the import it came from, for the audit."""
    require(principal.role, "sharing.record")
    name, country = check_recipient(session, entry)
    recipient = Recipient(name=name, role=entry.role, country=country, contract_status=entry.contract_status,
                          dpa_signed_on=entry.dpa_signed_on, approved=entry.approved,
                          allowed_categories=list(entry.allowed_categories))
    session.add(recipient)
    session.flush()
    record(session=session, actor=principal.username, role=principal.role, action="recipient.add",
           object_type="recipient", object_id=recipient.id,
           details={"name": name, "approved": entry.approved, "contract_status": entry.contract_status.value,
                    "batch_id": batch_id})
    return recipient
