"""Adding a recipient to the register: one set of rules for the Sharing page's form and the recipients import.

The register is what the sharing checks read (approved, contract/DPA status, allowed categories), so an entry
is refused unless each of those is something the checks can read: a name not already registered, an ISO 3166
alpha-2 country, fideslang categories, a DPA signing date that is not in the future.

An import of a registered name updates the entry (a DPA signed since, an approval withdrawn, categories added)
under the same rules, but for the name being free: each changed field leaves a field history row naming the
recipient, and one audit entry names the fields. An empty cell (no DPA date, no categories) keeps what is
registered; allowed categories are compared as a set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.field_error import FieldError
from dashboard.rules.sharing_rules import unknown_categories
from data_access.field_history import FieldUpdate, add_field_updates
from data_access.models import Recipient
from data_access.models.enums import ContractStatus, RecipientRole
from data_access.recipients_repo import add_recipient as add_recipient_row
from data_access.recipients_repo import recipient_by_name
from data_access.rows import set_values
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
    name, country = _checked(entry)
    if recipient_by_name(session, name) is not None:
        raise RecipientInputError("name", f"{name!r} is already in the register")
    return name, country


def _checked(entry: RecipientInput) -> tuple[str, str]:
    """The rules for an entry's values, new or registered."""
    name, country = entry.name.strip(), entry.country.strip().upper()
    if not name or len(name) > NAME_LIMIT:
        raise RecipientInputError("name", f"give the recipient's name (at most {NAME_LIMIT} characters)")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise RecipientInputError("country", f"{entry.country!r} is not a two-letter ISO 3166 country code")
    if entry.dpa_signed_on is not None and entry.dpa_signed_on > utcnow().date():
        raise RecipientInputError("dpa_signed_on", "the DPA signing date is in the future")
    if unknown := unknown_categories(entry.allowed_categories):
        raise RecipientInputError(
            "allowed_categories", f"not fideslang data categories: {', '.join(unknown)}"
        )
    return name, country


def add_recipient(
    *, session: Session, principal: Principal, entry: RecipientInput, batch_id: int | None = None
) -> Recipient:
    """Validate and register the recipient; flush only. `batch_id`: the import it came from, for the audit."""
    require(principal.role, "sharing.record")
    name, country = check_recipient(session, entry)
    recipient = Recipient(
        name=name,
        role=entry.role,
        country=country,
        contract_status=entry.contract_status,
        dpa_signed_on=entry.dpa_signed_on,
        approved=entry.approved,
        allowed_categories=list(entry.allowed_categories),
    )
    add_recipient_row(session, recipient)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="recipient.add",
        object_type="recipient",
        object_id=recipient.id,
        details={
            "name": name,
            "approved": entry.approved,
            "contract_status": entry.contract_status.value,
            "batch_id": batch_id,
        },
    )
    return recipient


def recipient_changes(session: Session, entry: RecipientInput) -> tuple[FieldUpdate, ...]:
    """What the entry would change on the registered recipient of its name (empty: unchanged), reading only;
    raises what the register refuses."""
    name, _ = _checked(entry)
    stored = recipient_by_name(session, name)
    if stored is None:
        raise LookupError(f"no recipient named {name!r}")  # the importer asks only for registered names
    return tuple(
        FieldUpdate("recipients", field, _text(getattr(stored, field)), _text(value))
        for field, value in _values(entry).items()
        if value is not None and _text(value) != _text(getattr(stored, field))
    )


def update_recipient(
    *,
    session: Session,
    principal: Principal,
    entry: RecipientInput,
    changes: tuple[FieldUpdate, ...],
    batch_id: int | None = None,
) -> Recipient:
    """Apply `recipient_changes`' result with its field history and audit entry; flush only."""
    require(principal.role, "sharing.record")
    recipient = recipient_by_name(session, entry.name.strip())
    assert recipient is not None
    values = _values(entry)
    set_values(session, recipient, {change.field: values[change.field] for change in changes})
    add_field_updates(session, changes, by=principal.username, record_id=recipient.id)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="recipient.update",
        object_type="recipient",
        object_id=recipient.id,
        details={"fields": [change.field for change in changes], "batch_id": batch_id},
    )
    return recipient


def _values(entry: RecipientInput) -> dict[str, Any]:
    """The fields an update may set, as stored; None (an empty cell) keeps the registered value."""
    return {
        "role": entry.role,
        "country": entry.country.strip().upper(),
        "contract_status": entry.contract_status,
        "dpa_signed_on": entry.dpa_signed_on,
        "approved": entry.approved,
        "allowed_categories": sorted(entry.allowed_categories) or None,
    }


def _text(value: object) -> str | None:
    """A field's value as the history writes it (categories sorted, so that their order is no change)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(sorted(str(v) for v in value))
    return str(value)
