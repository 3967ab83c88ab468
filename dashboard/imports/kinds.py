"""Every kind of file `compliance import KIND FILE` reads: its columns, its natural key and how a
row is written.

Writers go through the same services as the forms where one exists (preferences, sharing, legal requests,
subject requests), so an import obeys the same rules and leaves the same audit trail. A kind's
`check` applies the rules its `write` would, through the same services' check functions, without
writing: a dry run reads only, so it needs no write lock and runs beside an import
(dashboard.imports.runner).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.columns import Column
from dashboard.imports.people_upsert import closure_of, person_changes, refuse_erased, update_person
from dashboard.rules.account_closure import IMPORTED_STATUSES
from dashboard.rules.field_error import FieldError
from dashboard.services.legal_register import LegalRequestInput, check_legal_request, log_legal_request
from dashboard.services.preferences import (
    PreferenceChange,
    already_recorded,
    check_preference_change,
    record_preference_change,
)
from dashboard.services.recipient_register import (
    RecipientInput,
    add_recipient,
    check_recipient,
    recipient_changes,
    update_recipient,
)
from dashboard.services.request_intake import RequestIntake, check_request, create_request
from dashboard.services.sharing_register import SharingInput, check_sharing, record_sharing
from data_access import import_rows
from data_access.models import BillingProfile, Contact, PersistentIdentifier, Person
from data_access.models.enums import (
    AccountStatus,
    Channel,
    CommPurpose,
    ContractStatus,
    IdentifierKind,
    LegalBasis,
    LegalRequestType,
    MessageKind,
    PreferenceSource,
    PreferenceStatus,
    RecipientRole,
    RequestChannel,
    RequestType,
    TransferEvent,
)
from data_access.people_upsert import reference_taken

Row = dict[str, Any]


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


@dataclass(frozen=True)
class Upsert:
    """How a kind updates a record whose key is stored: `changes` says what the row would change, reading only
    (empty: unchanged; raises what the update would refuse); `apply` writes them (session, principal, row,
    changes, batch id), with their field history and audit."""

    changes: Callable[[Session, Row], tuple[Any, ...]]
    apply: Callable[[Session, Principal, Row, tuple[Any, ...], int], object]


@dataclass(frozen=True)
class ImportKind:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: Callable[[Row], str]  # the natural key: the same row always gives the same key
    stored: Callable[[Session, Row], bool]  # is a row with this key already stored?
    write: Callable[[Session, Principal, Row, str, int], None]  # (session, principal, row, key, batch id)
    # Raises what `write` would refuse, reading only; kinds whose write applies no rule beyond the
    # columns' own validation and the key check nothing more.
    check: Callable[[Session, Row], object] = lambda session, row: None
    upsert: Upsert | None = None  # None: a stored key is a duplicate, rejected


def digest(*parts: object) -> str:
    """A natural key from the parts; a time counts by its UTC instant, whatever offset the file
    wrote it with."""
    return hashlib.sha256("|".join(_key_part(p) for p in parts).encode()).hexdigest()


def _key_part(part: object) -> str:
    return part.astimezone(UTC).isoformat() if isinstance(part, datetime) else str(part)


# --- people: account, contact, billing profile and identifiers in one row
# --------------------------------------
def _check_person(session: Session, row: Row) -> None:
    refuse_erased(session, row)
    closure_of(row)


def _write_person(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    refuse_erased(session, row)
    closure = closure_of(row)
    person = Person(
        external_ref=row["user_id"],
        username=row["username"],
        country=row["country"].upper(),
        region=(row["region"] or "").upper() or None,
        created_at=row["created_at"],
        updated_at=row["created_at"],
    )
    if closure is not None:
        person.status = closure.status_for(AccountStatus.ACTIVE)
        person.closed_at = closure.closed_at
    person.contact = Contact(full_name=row["full_name"], email=row["email"], phone=row["phone"])
    if row["card_last4"] or row["billing_address"]:
        person.billing_profile = BillingProfile(
            card_brand=row["card_brand"],
            card_last4=row["card_last4"],
            address_line=row["billing_address"],
            city=row["billing_city"],
            postal_code=row["billing_postal_code"],
            country=row["country"].upper(),
        )
    if row["google_id"]:
        person.identifiers.append(
            PersistentIdentifier(
                kind=IdentifierKind.GOOGLE_ID,
                value=row["google_id"],
                first_seen=row["created_at"],
                last_seen=row["created_at"],
            )
        )
    import_rows.add_person(session, person)


PEOPLE = ImportKind(
    "people",
    "Accounts with contact details, billing profile and Google ID (one row per person).",
    (
        Column("user_id", "text", True, max_len=64, help="the billing platform's user id"),
        Column("username", "text", max_len=128),
        Column("full_name", "text", max_len=200),
        Column("email", "email"),
        Column("phone", "text", max_len=32),
        Column("country", "text", True, max_len=2),
        Column("region", "text", max_len=8),
        Column("created_at", "datetime", True),
        Column("card_brand", "text", max_len=32),
        Column("card_last4", "text", max_len=4),
        Column("billing_address", "text", max_len=200),
        Column("billing_city", "text", max_len=100),
        Column("billing_postal_code", "text", max_len=20),
        Column("google_id", "text", max_len=128),
        Column(
            "account_status",
            "enum",
            choices=IMPORTED_STATUSES,
            help="active, suspended or closed; empty: as stored (new: active)",
        ),
        Column("closed_at", "datetime", help="when the account closed; its retention runs from it"),
    ),
    key=lambda r: r["user_id"],
    stored=lambda s, r: reference_taken(s, r["user_id"]),
    write=_write_person,
    check=_check_person,
    upsert=Upsert(person_changes, update_person),
)


# --- preference changes (opt-ins and opt-outs) --------------------------------------------------------------
def preference_change(row: Row) -> PreferenceChange:
    return PreferenceChange(
        person_id=row["user"],
        channel=Channel(row["channel"]),
        purpose=CommPurpose(row["purpose"] or "marketing"),
        new_status=PreferenceStatus(row["status"]),
        source=PreferenceSource(row["source"] or "import"),
        received_at=row["received_at"],
        honoured_at=row["honoured_at"],
    )


def preference_key(change: PreferenceChange) -> str:
    """One key for an opt-in or opt-out however it arrives (preferences file, suppression list)."""
    return digest(
        "pref", change.person_id, change.channel, change.purpose, change.new_status, change.received_at
    )


def _write_preference(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    record_preference_change(
        session=session,
        principal=principal,
        audit=False,
        batch_id=batch,
        natural_key=key,
        change=preference_change(row),
    )


PREFERENCES = ImportKind(
    "preferences",
    "Opt-ins and opt-outs per person, channel and purpose, with when they were received and honoured.",
    (
        Column("user", "person", True),
        Column("channel", "enum", True, _values(Channel)),
        Column("purpose", "enum", False, _values(CommPurpose)),
        Column("status", "enum", True, _values(PreferenceStatus)),
        Column("source", "enum", False, _values(PreferenceSource)),
        Column("received_at", "datetime", True),
        Column("honoured_at", "datetime"),
    ),
    key=lambda r: preference_key(preference_change(r)),
    stored=lambda s, r: already_recorded(s, preference_change(r)),
    write=_write_preference,
    check=lambda s, r: check_preference_change(s, preference_change(r)),
)


MESSAGES = ImportKind(
    "messages",
    "Messages sent: channel, promotional or transactional, campaign and time.",
    (
        Column("user", "person", True),
        Column("channel", "enum", True, ("email", "sms", "phone")),
        Column("kind", "enum", True, ("promotional", "transactional")),
        Column("campaign", "text", max_len=100),
        Column("sent_at", "datetime", True),
    ),
    key=lambda r: digest("msg", r["user"], r["channel"], r["kind"], r["campaign"], r["sent_at"]),
    stored=lambda s, r: import_rows.message_stored(
        s, r["user"], r["sent_at"], Channel(r["channel"]), MessageKind(r["kind"]), r["campaign"]
    ),
    write=lambda s, p, r, key, batch: import_rows.add_message(
        s,
        person_id=r["user"],
        channel=Channel(r["channel"]),
        kind=MessageKind(r["kind"]),
        campaign=r["campaign"],
        sent_at=r["sent_at"],
        batch_id=batch,
        natural_key=key,
    ),
)


def _recipient_input(row: Row) -> RecipientInput:
    """Through the service the Sharing page's form uses, so the import obeys the same rules."""
    return RecipientInput(
        name=row["name"],
        role=RecipientRole(row["role"]),
        country=row["country"],
        contract_status=ContractStatus(row["contract_status"]),
        dpa_signed_on=row["dpa_signed_on"],
        approved=row["approved"],
        allowed_categories=tuple(row["allowed_categories"]),
    )


def _write_recipient(session: Session, principal: Principal, row: Row, batch: int) -> None:
    add_recipient(session=session, principal=principal, batch_id=batch, entry=_recipient_input(row))


RECIPIENTS = ImportKind(
    "recipients",
    "The recipients register: who we share with, their role, contract and allowed categories.",
    (
        Column("name", "text", True, max_len=200),
        Column("role", "enum", True, _values(RecipientRole)),
        Column("country", "text", True, max_len=2),
        Column("contract_status", "enum", True, _values(ContractStatus)),
        Column("dpa_signed_on", "date"),
        Column("approved", "bool", True),
        Column("allowed_categories", "list"),
    ),
    key=lambda r: r["name"],
    stored=lambda s, r: import_rows.recipient_id(s, r["name"]) is not None,
    write=lambda s, p, r, key, batch: _write_recipient(s, p, r, batch),
    check=lambda s, r: check_recipient(s, _recipient_input(r)),
    upsert=Upsert(
        lambda s, r: recipient_changes(s, _recipient_input(r)),
        lambda s, p, r, changes, batch: update_recipient(
            session=s, principal=p, entry=_recipient_input(r), changes=changes, batch_id=batch
        ),
    ),
)


class ReferenceMissing(FieldError):
    """A row names a person, recipient or policy version that is not stored."""


def _people(session: Session, field: str, refs: list[str]) -> tuple[int, ...]:
    """User ids (the billing platform's) -> person ids; every one must exist."""
    found = import_rows.person_ids_by_ref(session, refs)
    missing = [ref for ref in refs if ref not in found]
    if missing:
        raise ReferenceMissing(field, f"no person with user id {', '.join(missing[:5])}")
    return tuple(int(found[ref]) for ref in refs)


def _sharing_input(session: Session, row: Row) -> SharingInput:
    recipient = import_rows.recipient_id(session, row["recipient"])
    if recipient is None:
        raise ReferenceMissing("recipient", f"no recipient named {row['recipient']!r} in the register")
    return SharingInput(
        recipient_id=recipient,
        shared_at=row["shared_at"],
        categories=tuple(row["categories"]),
        purpose=row["purpose"],
        legal_basis=LegalBasis(row["legal_basis"]),
        person_ids=_people(session, "people", row["people"]),
        consent_scope=row["consent_scope"],
        description=row["description"],
    )


def _write_sharing(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    sharing = record_sharing(session=session, principal=principal, entry=_sharing_input(session, row))
    sharing.batch_id, sharing.natural_key = batch, key


def _sharing_stored(session: Session, row: Row) -> bool:
    """A sharing with this recipient, instant, purpose and categories (by meaning, like the other kinds)."""
    stored = import_rows.sharing_categories(session, row["recipient"], row["shared_at"], row["purpose"])
    return any(sorted(categories) == sorted(row["categories"]) for categories in stored)


SHARING = ImportKind(
    "sharing",
    "Sharing records: recipient (by name), categories, purpose, legal basis and the people (user ids).",
    (
        Column("recipient", "text", True, max_len=200),
        Column("shared_at", "datetime", True),
        Column("categories", "list", True),
        Column("purpose", "text", True, max_len=100),
        Column("legal_basis", "enum", True, _values(LegalBasis)),
        Column("consent_scope", "text", max_len=64),
        Column("people", "list", True, help="user ids, ;-separated"),
        Column("description", "text", max_len=500),
    ),
    key=lambda r: digest("share", r["recipient"], r["shared_at"], sorted(r["categories"]), r["purpose"]),
    stored=lambda s, r: _sharing_stored(s, r),
    write=_write_sharing,
    check=lambda s, r: check_sharing(s, _sharing_input(s, r)),
)


def _legal_input(session: Session, row: Row) -> LegalRequestInput:
    return LegalRequestInput(
        row["authority"],
        row["jurisdiction"],
        LegalRequestType(row["request_type"]),
        row["received_at"],
        _people(session, "accounts", row["accounts"]),
    )


def _write_legal(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    request = log_legal_request(session=session, principal=principal, entry=_legal_input(session, row))
    request.reference = row["reference"]


LEGAL_REQUESTS = ImportKind(
    "legal-requests",
    "Requests from authorities as received (review and disclosure are recorded on the page).",
    (
        Column("reference", "text", True, max_len=64),
        Column("authority", "text", True, max_len=200),
        Column("jurisdiction", "text", True, max_len=64),
        Column("request_type", "enum", True, _values(LegalRequestType)),
        Column("received_at", "datetime", True),
        Column("accounts", "list", help="user ids, ;-separated"),
    ),
    key=lambda r: r["reference"],
    stored=lambda s, r: import_rows.legal_request_stored(s, r["reference"]),
    write=_write_legal,
    check=lambda s, r: check_legal_request(s, _legal_input(s, r)),
)


def _write_transfer_notice(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    import_rows.add_transfer_notice(
        session,
        event=row["event"],
        counterparty=row["counterparty"],
        effective_date=row["effective_date"],
        person_id=row["user"],
        notified_at=row["notified_at"],
        channel=row["channel"],
    )


TRANSFER_NOTIFICATIONS = ImportKind(
    "transfer-notifications",
    "People affected by a merger, acquisition or asset sale, and when they were notified.",
    (
        Column("event", "enum", True, _values(TransferEvent)),
        Column("counterparty", "text", True, max_len=200),
        Column("effective_date", "date", True),
        Column("user", "person", True),
        Column("notified_at", "datetime"),
        Column("channel", "text", max_len=16),
    ),
    key=lambda r: digest("transfer", r["counterparty"], r["effective_date"], r["user"]),
    stored=lambda s, r: import_rows.transfer_notice_stored(
        s, r["counterparty"], r["effective_date"], r["user"]
    ),
    write=_write_transfer_notice,
)


POLICY_VERSIONS = ImportKind(
    "policy-versions",
    "Published policy versions: version, effective date, summary of changes, full text.",
    (
        Column("version", "text", True, max_len=32),
        Column("effective_date", "date", True),
        Column("published_at", "datetime", True),
        Column("summary", "text", True, max_len=2000),
        Column("text", "text", True, max_len=200_000),
    ),
    key=lambda r: r["version"],
    stored=lambda s, r: import_rows.policy_version_id(s, r["version"]) is not None,
    write=lambda s, p, r, key, batch: import_rows.add_policy_version(
        s,
        version=r["version"],
        effective_date=r["effective_date"],
        published_at=r["published_at"],
        summary=r["summary"],
        text=r["text"],
    ),
)


def _policy_version_id(session: Session, row: Row) -> int:
    version = import_rows.policy_version_id(session, row["version"])
    if version is None:
        raise ReferenceMissing("version", f"no policy version {row['version']!r}; import it first")
    return version


def _write_policy_notice(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    version = _policy_version_id(session, row)
    import_rows.add_policy_notice(
        session,
        version_id=version,
        person_id=row["user"],
        notified_at=row["notified_at"],
        channel=row["channel"] or "email",
    )


POLICY_NOTIFICATIONS = ImportKind(
    "policy-notifications",
    "Who was notified of which policy version, when and how.",
    (
        Column("version", "text", True, max_len=32),
        Column("user", "person", True),
        Column("notified_at", "datetime", True),
        Column("channel", "text", max_len=16),
    ),
    key=lambda r: digest("policy", r["version"], r["user"]),
    stored=lambda s, r: import_rows.policy_notice_stored(s, r["version"], r["user"]),
    write=_write_policy_notice,
    check=_policy_version_id,
)


def _intake(row: Row) -> RequestIntake:
    return RequestIntake(
        requester_name=row["requester_name"],
        request_type=RequestType(row["request_type"]),
        channel=RequestChannel(row["channel"]),
        received_at=row["received_at"],
        requester_email=row["requester_email"],
        requester_phone=row["requester_phone"],
        country=row["country"],
        region=row["region"],
        regime=row["regime"],
        person_id=row["user"],
        external_id=row["external_id"],
    )


def _write_request(session: Session, principal: Principal, row: Row, key: str, batch: int) -> None:
    create_request(session=session, principal=principal, intake=_intake(row))


SUBJECT_REQUESTS = ImportKind(
    "subject-requests",
    "Subject requests received elsewhere; deadlines are computed on import.",
    (
        Column("external_id", "text", True, max_len=64),
        Column("request_type", "enum", True, _values(RequestType)),
        Column("channel", "enum", True, _values(RequestChannel)),
        Column("received_at", "datetime", True),
        Column("requester_name", "text", True, max_len=200),
        Column("requester_email", "email"),
        Column("requester_phone", "text", max_len=32),
        Column("country", "text", max_len=2),
        Column("region", "text", max_len=8),
        Column("regime", "text", max_len=16),
        Column("user", "person"),
    ),
    key=lambda r: r["external_id"],
    stored=lambda s, r: import_rows.subject_request_stored(s, r["external_id"]),
    write=_write_request,
    check=lambda s, r: check_request(s, _intake(r)),
)

KINDS: dict[str, ImportKind] = {
    k.name: k
    for k in (
        PEOPLE,
        PREFERENCES,
        MESSAGES,
        RECIPIENTS,
        SHARING,
        LEGAL_REQUESTS,
        TRANSFER_NOTIFICATIONS,
        POLICY_VERSIONS,
        POLICY_NOTIFICATIONS,
        SUBJECT_REQUESTS,
    )
}
