"""Everything held about one person, section by section: what the inventory page shows and what an access
package contains (the same object, so the two cannot drift apart).

Every query is on an indexed person_id. Log lines and usage events are summarised (counts, first and
last seen, the distinct addresses, browsers and features) rather than listed: the summary is the
personal data they hold, and it stays bounded however long the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Executable, String, cast, func, select
from sqlalchemy.orm import Session

from data_access.models import (
    AccessLogEntry,
    BillingProfile,
    BusinessTransfer,
    BusinessTransferPerson,
    CommunicationPreference,
    Consent,
    Contact,
    Invoice,
    LegalRequest,
    LegalRequestPerson,
    Message,
    PersistentIdentifier,
    Person,
    PolicyNotification,
    PolicyVersion,
    PreferenceEvent,
    Recipient,
    SharingRecord,
    SharingRecordPerson,
    SubjectRequest,
    UsageEvent,
)

Rows = list[dict[str, Any]]

# section -> the tables it reads: the data map (dashboard/inventory) says which categories those hold.
SECTION_TABLES: dict[str, tuple[str, ...]] = {
    "account": ("people",),
    "contact": ("contacts",),
    "billing_profile": ("billing_profiles",),
    "invoices": ("invoices",),
    "identifiers": ("identifiers",),
    "web_activity": ("access_log",),
    "product_usage": ("usage_events",),
    "communication_preferences": ("comm_preferences",),
    "preference_history": ("preference_events",),
    "messages": ("messages",),
    "consents": ("consents",),
    "subject_requests": ("subject_requests",),
    "sharing": ("sharing_record_people",),
    "legal_disclosures": ("legal_request_people",),
    "business_transfers": ("business_transfer_people",),
    "policy_notifications": ("policy_notifications",),
}


@dataclass(frozen=True)
class PersonInventory:
    person_id: int
    sections: dict[str, Rows] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()  # what a copy for the person leaves out, and why


def person_inventory(
    *, session: Session, person_id: int, for_subject: bool = False, today: date | None = None
) -> PersonInventory | None:
    """The person's data; `for_subject` leaves out disclosures whose notice is still legally prohibited."""
    if session.get(Person, person_id) is None:
        return None
    p = person_id
    sections: dict[str, Rows] = {
        "account": _rows(
            session,
            select(
                Person.external_ref,
                Person.username,
                cast(Person.status, String(32)).label("status"),
                Person.country,
                Person.region,
                Person.created_at,
                Person.anonymised_at,
            ).where(Person.id == p),
        ),
        "contact": _rows(
            session,
            select(Contact.full_name, Contact.email, Contact.phone, Contact.updated_at).where(
                Contact.person_id == p
            ),
        ),
        "billing_profile": _rows(
            session,
            select(
                BillingProfile.card_brand,
                BillingProfile.card_last4,
                BillingProfile.address_line,
                BillingProfile.city,
                BillingProfile.postal_code,
                BillingProfile.country,
            ).where(BillingProfile.person_id == p),
        ),
        "invoices": _rows(
            session,
            select(
                Invoice.number,
                Invoice.issued_at,
                Invoice.amount_cents,
                Invoice.currency,
                Invoice.billing_name,
                Invoice.billing_address,
            )
            .where(Invoice.person_id == p)
            .order_by(Invoice.issued_at),
        ),
        "identifiers": _rows(
            session,
            select(
                PersistentIdentifier.kind,
                PersistentIdentifier.value,
                PersistentIdentifier.first_seen,
                PersistentIdentifier.last_seen,
            )
            .where(PersistentIdentifier.person_id == p)
            .order_by(PersistentIdentifier.kind),
        ),
        "web_activity": _web_activity(session, p),
        "product_usage": _product_usage(session, p),
        **_communications(session, p),
        **_registers(session, p),
    }
    withheld: tuple[str, ...] = ()
    if for_subject:
        today = today or date.today()
        kept = [
            d
            for d in sections["legal_disclosures"]
            if d["notice_prohibited_until"] is None or d["notice_prohibited_until"] < today
        ]
        if len(kept) < len(sections["legal_disclosures"]):
            withheld = ("legal disclosures under a court order prohibiting notice to the person",)
        sections["legal_disclosures"] = kept
    return PersonInventory(person_id, sections, withheld)


def _web_activity(session: Session, p: int) -> Rows:
    a = AccessLogEntry
    totals = session.execute(
        select(func.count(), func.min(a.ts), func.max(a.ts)).where(a.person_id == p)
    ).one()
    if not totals[0]:
        return []
    addresses = session.scalars(select(a.client).where(a.person_id == p).distinct().order_by(a.client)).all()
    agents = session.scalars(
        select(a.user_agent)
        .where(a.person_id == p, a.user_agent.is_not(None))
        .distinct()
        .order_by(a.user_agent)
    ).all()
    return [
        {
            "requests": totals[0],
            "first_seen": totals[1],
            "last_seen": totals[2],
            "ip_addresses": list(addresses),
            "user_agents": list(agents),
        }
    ]


def _product_usage(session: Session, p: int) -> Rows:
    u = UsageEvent
    return _rows(
        session,
        select(
            u.feature,
            func.count().label("events"),
            func.count(u.session_id.distinct()).label("sessions"),
            func.min(u.ts).label("first_used"),
            func.max(u.ts).label("last_used"),
        )
        .where(u.person_id == p)
        .group_by(u.feature)
        .order_by(u.feature),
    )


def _communications(session: Session, p: int) -> dict[str, Rows]:
    c, e, m = CommunicationPreference, PreferenceEvent, Message
    return {
        "communication_preferences": _rows(
            session,
            select(
                cast(c.channel, String(32)).label("channel"),
                cast(c.purpose, String(32)).label("purpose"),
                cast(c.status, String(32)).label("status"),
                c.updated_at,
            )
            .where(c.person_id == p)
            .order_by(c.channel),
        ),
        "preference_history": _rows(
            session,
            select(
                cast(e.channel, String(32)).label("channel"),
                cast(e.purpose, String(32)).label("purpose"),
                cast(e.new_status, String(32)).label("status"),
                cast(e.source, String(32)).label("source"),
                e.received_at,
                e.honour_by,
                e.honoured_at,
            )
            .where(e.person_id == p)
            .order_by(e.received_at, e.id),
        ),
        "messages": _rows(
            session,
            select(
                cast(m.channel, String(32)).label("channel"),
                cast(m.kind, String(32)).label("kind"),
                m.campaign,
                m.sent_at,
            )
            .where(m.person_id == p)
            .order_by(m.sent_at),
        ),
        "consents": _rows(
            session,
            select(Consent.scope, Consent.reference, Consent.given_at, Consent.withdrawn_at)
            .where(Consent.person_id == p)
            .order_by(Consent.given_at),
        ),
    }


def _registers(session: Session, p: int) -> dict[str, Rows]:
    r, s, sp = SubjectRequest, SharingRecord, SharingRecordPerson
    return {
        "subject_requests": _rows(
            session,
            select(
                r.reference,
                cast(r.request_type, String(32)).label("type"),
                cast(r.status, String(32)).label("status"),
                r.received_at,
                r.due_date,
                r.closed_at,
            )
            .where(r.person_id == p)
            .order_by(r.received_at),
        ),
        "sharing": _rows(
            session,
            select(
                Recipient.name.label("recipient"),
                cast(Recipient.role, String(32)).label("recipient_role"),
                s.shared_at,
                s.categories,
                s.purpose,
                cast(s.legal_basis, String(32)).label("legal_basis"),
                sp.consent_reference,
            )
            .join(s, s.id == sp.sharing_record_id)
            .join(Recipient, Recipient.id == s.recipient_id)
            .where(sp.person_id == p)
            .order_by(s.shared_at),
        ),
        "legal_disclosures": _rows(
            session,
            select(
                LegalRequest.authority,
                LegalRequest.jurisdiction,
                cast(LegalRequest.request_type, String(32)).label("type"),
                LegalRequest.received_at,
                cast(LegalRequest.outcome, String(32)).label("outcome"),
                LegalRequest.categories_disclosed,
                LegalRequest.disclosed_at,
                LegalRequest.notice_prohibited_until,
                LegalRequestPerson.notified_at,
            )
            .join(LegalRequest, LegalRequest.id == LegalRequestPerson.legal_request_id)
            .where(LegalRequestPerson.person_id == p)
            .order_by(LegalRequest.received_at),
        ),
        "business_transfers": _rows(
            session,
            select(
                cast(BusinessTransfer.event, String(32)).label("event"),
                BusinessTransfer.counterparty,
                BusinessTransfer.effective_date,
                BusinessTransferPerson.notified_at,
            )
            .join(BusinessTransfer, BusinessTransfer.id == BusinessTransferPerson.transfer_id)
            .where(BusinessTransferPerson.person_id == p),
        ),
        "policy_notifications": _rows(
            session,
            select(PolicyVersion.version, PolicyVersion.effective_date, PolicyNotification.notified_at)
            .join(PolicyVersion, PolicyVersion.id == PolicyNotification.policy_version_id)
            .where(PolicyNotification.person_id == p)
            .order_by(PolicyVersion.effective_date),
        ),
    }


def _rows(session: Session, statement: Executable) -> Rows:
    return [dict(row._mapping) for row in session.execute(statement)]
