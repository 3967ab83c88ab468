"""Erasing one person: every table that holds their data, as set statements on indexed keys.

What is deleted, what is anonymised and what is kept (and why) is decided here, table by table:
- contact details, billing profile, identifiers, per-person rollups, current preferences: deleted;
- the person row stays as an anonymised tombstone (no username, no reference), so that registers
  that must persist (sharing, disclosures, notifications, opt-out history, messages sent) keep
  their counts without naming anyone;
- access-log lines from the person's IP addresses: IP truncated to its network, user, query string
  and link removed; usage events: link and session id removed;
- invoices: kept for the tax retention period, pseudonymised (name and address removed);
- field histories, the person's own subject requests and rejected import lines holding their
  values: the values are removed, except the requester's contact on the erasure request itself, kept until the
  completion is confirmed to the requester (at most 30 days; dashboard.rules.erasure_follow_through).

Removed from the tables is not yet removed from the files: SQLite zeroes deleted content in its pages
(secure_delete, data_access.db) but keeps the old pages in the WAL until a checkpoint, and
PostgreSQL keeps old row versions until VACUUM; scrub_after_erasure does both once the erasure has
committed.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Engine, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from data_access.busy import DatabaseBusy
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    ActivityFirstDay,
    BillingProfile,
    CommunicationPreference,
    Contact,
    FieldChange,
    Invoice,
    PersistentIdentifier,
    Person,
    RejectedRow,
    RetentionHold,
    SubjectRequest,
    UsageEvent,
)
from data_access.models.enums import AccountStatus
from data_access.rollups import subtract_from_day_totals

_log = logging.getLogger(__name__)
ERASED_MARK = "[erased]"  # what a required text column holds once its value is erased
MIN_SCANNED_LENGTH = 4  # shorter values (a country code, a card's last four) identify no one on their own


@dataclass(frozen=True)
class PersonValues:
    """The values that identify a person, gathered before erasure so the scan can look for them after."""

    person_id: int
    values: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    external_ref: str = ""  # the user id, from which the caller derives the tombstone's reference


def identifying_values(*, session: Session, person_id: int) -> PersonValues:
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    contact, billing = session.get(Contact, person_id), session.get(BillingProfile, person_id)
    identifiers = session.scalars(
        select(PersistentIdentifier.value).where(PersistentIdentifier.person_id == person_id)
    ).all()
    ips = session.scalars(
        select(AccessLogEntry.client).where(AccessLogEntry.person_id == person_id).distinct()
    ).all()
    requests = session.execute(
        select(SubjectRequest.requester_email, SubjectRequest.requester_phone).where(
            SubjectRequest.person_id == person_id
        )
    ).all()
    candidates = [
        person.username,
        person.external_ref,
        *identifiers,
        *ips,
        *(v for row in requests for v in row),
    ]
    if contact is not None:
        candidates += [contact.email, contact.phone, contact.full_name]
    if billing is not None:
        candidates.append(billing.address_line)
    values = sorted({v.strip() for v in candidates if v and len(v.strip()) >= MIN_SCANNED_LENGTH})
    return PersonValues(person_id, tuple(values), tuple(sorted(set(ips))), person.external_ref)


def erase_person_rows(
    *,
    session: Session,
    found: PersonValues,
    pseudonym: str,
    now: datetime,
    tombstone_ref: str | None = None,
    keep_contact_of: int | None = None,
    keep_day_totals: bool = False,
) -> dict[str, int]:
    """Apply the erasure plan; returns rows affected per table. Flushes only; the caller commits.

    `tombstone_ref` replaces the user id (dashboard.privacy.erased_reference: a keyed digest that
    lets an import recognise the erased user id); without it, `erased-<person id>`.
    `keep_contact_of`: the request whose requester contact stays, to confirm the completion to them.
    `keep_day_totals`: the retention purge leaves the daily totals over everyone as they are (its
    rollups keep their figures, docs/retention.md); a request takes the person out."""
    pid = found.person_id
    counts: dict[str, int] = {}

    def run(name: str, statement: object) -> None:
        counts[name] = counts.get(name, 0) + (session.execute(statement).rowcount or 0)  # type: ignore[call-overload]

    run("contacts", delete(Contact).where(Contact.person_id == pid))
    run("billing_profiles", delete(BillingProfile).where(BillingProfile.person_id == pid))
    run("identifiers", delete(PersistentIdentifier).where(PersistentIdentifier.person_id == pid))
    if not keep_day_totals:
        subtract_from_day_totals(session, pid)
    run("activity_daily", delete(ActivityDaily).where(ActivityDaily.person_id == pid))
    run("activity_first_day", delete(ActivityFirstDay).where(ActivityFirstDay.person_id == pid))
    run("comm_preferences", delete(CommunicationPreference).where(CommunicationPreference.person_id == pid))
    for (
        ip
    ) in found.ip_addresses:  # every line from the address, linked or not: the address itself is the datum,
        # except another person's lines under litigation hold, kept whole (docs/retention.md; the
        # scan reports them)
        run(
            "access_log",
            update(AccessLogEntry)
            .where(AccessLogEntry.client == ip, not_held_by_another(pid))
            .values(client=truncate_ip(ip), authuser=None, query=None, person_id=None),
        )
    run(
        "access_log",
        update(AccessLogEntry)
        .where(AccessLogEntry.person_id == pid)
        .values(client="0.0.0.0", authuser=None, query=None, person_id=None),
    )
    run(
        "usage_events",
        update(UsageEvent).where(UsageEvent.person_id == pid).values(person_id=None, session_id=None),
    )
    run(
        "invoices",
        update(Invoice)
        .where(Invoice.person_id == pid)
        .values(
            billing_name=None, billing_address=None, pseudonym=pseudonym, pseudonymised_at=now, person_id=None
        ),
    )
    run(
        "field_changes",
        update(FieldChange).where(FieldChange.person_id == pid).values(old_value=None, new_value=None),
    )
    run(
        "subject_requests",
        update(SubjectRequest)
        .where(SubjectRequest.person_id == pid, SubjectRequest.id != (keep_contact_of or 0))
        .values(requester_name=ERASED_MARK, requester_email=None, requester_phone=None, details=None),
    )
    if keep_contact_of is not None:
        run(
            "subject_requests",
            update(SubjectRequest).where(SubjectRequest.id == keep_contact_of).values(details=None),
        )
    if found.values:
        run(
            "rejected_rows",
            update(RejectedRow)
            .where(or_(*(RejectedRow.raw.contains(v) for v in found.values)))
            .values(raw=None),
        )
    run(
        "people",
        update(Person)
        .where(Person.id == pid)
        .values(
            username=None,
            external_ref=tombstone_ref or f"erased-{pid}",
            status=AccountStatus.ANONYMISED,
            anonymised_at=now,
            updated_at=now,
        ),
    )
    session.flush()
    return counts


def held_lines() -> ColumnElement[bool]:
    """Access-log lines of a person under litigation hold (people.litigation_hold, migration 0023)."""
    return AccessLogEntry.person_id.in_(select(Person.id).where(Person.litigation_hold.is_(True)))


def not_held_by_another(person_id: int) -> ColumnElement[bool]:
    return or_(AccessLogEntry.person_id.is_(None), AccessLogEntry.person_id == person_id, ~held_lines())


def values_held_by_others(session: Session, values: Iterable[str]) -> frozenset[str]:
    """Of `values` (as gathered by identifying_values), those a customer not erased still holds as
    their own name, email, phone, username, user id, address or identifier, lower-cased: two people
    may share a name, an address or a family email. Such a value proves nothing about the erased
    person when found, so the scan does not look for it.
    Run after the erasure's rows are gone (the erased person holds none of them by then)."""
    needles = sorted({v.lower() for v in values if v})
    if not needles:
        return frozenset()
    living = Person.status != AccountStatus.ANONYMISED
    columns = (
        (Contact.full_name, Contact.person_id),
        (Contact.email, Contact.person_id),
        (Contact.phone, Contact.person_id),
        (BillingProfile.address_line, BillingProfile.person_id),
        (PersistentIdentifier.value, PersistentIdentifier.person_id),
        (Person.username, Person.id),
        (Person.external_ref, Person.id),
    )
    held: set[str] = set()
    for column, person_id in columns:
        query = select(func.lower(column)).where(func.lower(column).in_(needles))
        if person_id is not Person.id:
            query = query.join(Person, Person.id == person_id)
        held.update(session.scalars(query.where(living).distinct()))
    return frozenset(held)


def scrub_after_erasure(engine: Engine, tables: Iterable[str]) -> None:
    """After an erasure has committed. SQLite: copy the WAL into the file (whose pages secure_delete
    zeroed) and truncate it, so the WAL no longer holds the old pages. PostgreSQL: VACUUM the tables
    the erasure changed, which removes the old row versions (its own WAL and backups age out on the
    server's schedule; its data files are not readable here to check). VACUUM cannot run in a
    transaction, hence the AUTOCOMMIT connection.

    SQLite's person search index (FTS5, migration 0019) deletes by adding markers, so an erased
    person's trigram postings stay in older segments until a merge: 'optimize' rewrites the index
    without them first (3.8 s at 1M people; erasures are a few a day, and the write is already
    committed).

    The erasure itself is committed by then, so a busy database is logged, not raised: the next
    checkpoint (SQLite runs one every 1,000 pages written) or autovacuum finishes the job."""
    try:
        if engine.dialect.name == "sqlite":
            if "contacts" in set(tables):
                with engine.begin() as connection:
                    connection.exec_driver_sql(
                        "INSERT INTO contact_search (contact_search) VALUES ('optimize')"
                    )
            with engine.connect() as connection:
                busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
            if busy:
                _log.warning(
                    "erasure committed; the WAL checkpoint was blocked by a reader and will run later"
                )
            return
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for name in sorted(set(tables)):
                connection.execute(text(f'VACUUM "{name}"'))  # names from erase_person_rows, not from input
    except DatabaseBusy:
        _log.warning(
            "erasure committed; scrubbing its old row versions was blocked and is left to the database"
        )


def truncate_ip(address: str) -> str:
    """The network part only (IPv4 /24, IPv6 /48), the usual anonymisation of log addresses."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "0.0.0.0"  # a hostname or garbage: nothing of it is kept
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def person_invoices(session: Session, person_id: int) -> list[tuple[int, datetime]]:
    """(invoice id, issued at) of the person's invoices: what an erasure must hold for the retention
    period."""
    return [
        (int(i), issued)
        for i, issued in session.execute(
            select(Invoice.id, Invoice.issued_at).where(Invoice.person_id == person_id)
        )
    ]


def add_retention_holds(session: Session, holds: Iterable[RetentionHold]) -> None:
    session.add_all(holds)
    session.flush()
