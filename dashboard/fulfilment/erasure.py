"""Deletion requests: erase the person everywhere, keep only what the law requires, then prove it by a scan.

The erasure and the scan run in the caller's one transaction: if the scan still finds any of the
person's identifying values, ErasureIncomplete is raised and the caller's rollback leaves the
database exactly as it was, so an erasure is never half done. Once that transaction commits, the files are
scrubbed of the old values too (data_access.erasure.scrub_after_erasure).

The requester's contact on this request is kept until the completion is confirmed to them (at most
CONTACT_RETENTION_DAYS, dashboard.rules.erasure_follow_through; docs/erasure.md): the scan finds it there and
reports it as kept, not as a failure.

One further documented exception: audit entries of failed sign-ins written before typed usernames
were digested (until 2026-12-05) may hold what someone typed, the person's email for instance. The
audit log cannot be edited without breaking its hash chain, and it is kept as the record of access
to personal data (GDPR Art. 5(1)(f) and 32) and for the establishment or defence of legal claims:
Art. 17(3)(b) and (e) exempt it from erasure.
Those entries do not stop the erasure; they are counted in the fulfilment note and shown as withheld
in every export (dashboard.audit.typed_values). Any other place, audit entries included, still stops
it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.privacy.erased_reference import erased_reference
from dashboard.rules.erasure_follow_through import CONTACT_RETENTION_DAYS
from dashboard.services.request_workflow import record_fulfilment, request_to_fulfil
from data_access import audit_repo
from data_access.db import after_commit
from data_access.erasure import (
    PersonValues,
    add_retention_holds,
    erase_person_rows,
    held_lines,
    identifying_values,
    person_invoices,
    scrub_after_erasure,
    values_held_by_others,
)
from data_access.models import RetentionHold, SubjectRequest
from data_access.models.enums import RequestType
from data_access.pii_scan import ScanHit, scan_for_values
from data_access.types import utcnow

# Invoices are accounting records: kept seven years from issue (US IRS guidance; most EU states ask 6-10),
# pseudonymised. The data map states the same retention for `invoices`.
INVOICE_RETENTION_YEARS = 7
INVOICE_RETENTION_REASON = "accounting and tax records must be kept (invoice, pseudonymised)"


class ErasureIncomplete(RuntimeError):
    def __init__(self, hits: list[ScanHit]) -> None:
        where = ", ".join(f"{h.table}.{h.column} ({h.rows})" for h in hits)
        super().__init__(f"the scan still finds the person's values in {where}; nothing was erased")
        self.hits = hits


AUDIT_LOG_RETENTION_REASON = (
    "kept under GDPR Art. 17(3)(b) and (e): the audit log is the tamper-evident record "
    "of access (Art. 5(1)(f), 32) and cannot be edited without breaking its chain; the "
    "typed value is withheld from every export"
)


@dataclass(frozen=True)
class ErasureResult:
    rows: dict[str, int]
    retained_invoices: int
    values_checked: int
    scan_hits: list[ScanHit]
    retained_in_audit_log: list[
        ScanHit
    ]  # failed sign-ins that recorded the typed value (see module docstring)

    @property
    def audit_log_entries_kept(self) -> int:
        """Entries, not (entry, column) hits: a legacy entry holds the typed value in its actor only."""
        return max((hit.rows for hit in self.retained_in_audit_log), default=0)

    def scan_summary(self) -> str:
        """What the scan found, as the fulfilment note and the request page say it."""
        kept = self.audit_log_entries_kept
        return f"scan of {self.values_checked} identifying value(s) over every text column found none" + (
            f" but {kept} failed sign-in entr{'y' if kept == 1 else 'ies'} in the audit log, "
            f"{AUDIT_LOG_RETENTION_REASON}"
            if kept
            else ""
        )


def fulfil_deletion(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    expected_version: int,
    now: datetime | None = None,
) -> ErasureResult:
    now = now or utcnow()
    request, person_id = request_to_fulfil(
        session,
        principal,
        request_id,
        expected_version,
        (RequestType.DELETION,),
        "does not erase data",
        "erasing",
    )
    erased = erase_keeping_invoices(session=session, person_id=person_id, now=now, request_id=request.id)
    found, rows, invoices = erased.found, erased.rows, erased.invoices
    hits, kept = scan_erased(session=session, values=found.values, request_id=request.id)
    result = ErasureResult(
        rows, invoices, len(found.values), hits, [h for h in kept if h.table == "audit_log"]
    )
    record_fulfilment(
        session=session,
        principal=principal,
        request=request,
        note=f"erased person {found.person_id}: "
        + ", ".join(f"{table} {n}" for table, n in sorted(rows.items()) if n)
        + f"; {invoices} invoice(s) kept pseudonymised for {INVOICE_RETENTION_YEARS} years; "
        + "the requester's contact kept on this request until the completion is confirmed "
        + f"(at most {CONTACT_RETENTION_DAYS} days); "
        + result.scan_summary(),
    )
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.erasure",
        object_type="subject_request",
        object_id=request.id,
        details={
            "person_id": found.person_id,
            "rows": rows,
            "retained_invoices": invoices,
            "values_checked": len(found.values),
            "audit_log_entries_kept": result.audit_log_entries_kept,
        },
    )
    scrub_when_committed(session, rows)
    return result


@dataclass(frozen=True)
class ErasedPerson:
    found: PersonValues  # the values that identified them, for the scan
    rows: dict[str, int]  # rows affected per table
    invoices: int  # kept pseudonymised under a retention hold


def erase_keeping_invoices(
    *,
    session: Session,
    person_id: int,
    now: datetime,
    request_id: int | None = None,
    keep_day_totals: bool = False,
) -> ErasedPerson:
    """The erasure itself, shared by a deletion request and the retention purge
    (dashboard.fulfilment.retention):
    the person's rows erased (data_access.erasure), their invoices kept pseudonymised with a
    retention hold each.
    Flushes only; the caller scans (scan_erased) and commits."""
    found = identifying_values(session=session, person_id=person_id)
    invoices = person_invoices(session, person_id)
    pseudonym = secrets.token_hex(16)
    rows = erase_person_rows(
        session=session,
        found=found,
        pseudonym=pseudonym,
        now=now,
        tombstone_ref=erased_reference(found.external_ref),
        keep_contact_of=request_id,
        keep_day_totals=keep_day_totals,
    )
    add_retention_holds(
        session,
        (
            RetentionHold(
                pseudonym=pseudonym,
                table_name="invoices",
                record_id=invoice_id,
                reason=INVOICE_RETENTION_REASON,
                retain_until=_years_after(issued, INVOICE_RETENTION_YEARS),
                subject_request_id=request_id,
            )
            for invoice_id, issued in invoices
        ),
    )
    return ErasedPerson(found, rows, len(invoices))


def scan_erased(
    *,
    session: Session,
    values: tuple[str, ...],
    request_id: int | None = None,
    unmatched_requests_kept: bool = False,
) -> tuple[list[ScanHit], list[ScanHit]]:
    """The proof: every erased value looked for over every text column; raises ErasureIncomplete on
    a hit, which the caller's rollback undoes. Returns (hits, the kept ones: legacy audit entries,
    and with `unmatched_requests_kept` requests never matched to an account). A value a customer not
    erased still holds as their own (a shared name or address;
    data_access.erasure.values_held_by_others) is not looked for. Another person's log lines under
    litigation hold keep an address they share with the erased person:
    found, and reported as kept.

    `unmatched_requests_kept` (the retention purge): a request whose requester was never matched to
    an account is a record of its own, kept under its own rule (3 years after closing,
    docs/retention.md); an account's closure does not make it the account's. A deletion request is
    different: whoever asked is erased wherever found."""
    shared = values_held_by_others(session, values)
    kept = {"audit_log": audit_repo.unauthenticated_entries(), "access_log": held_lines()}
    if request_id is not None:
        kept["subject_requests"] = SubjectRequest.id == request_id
    elif unmatched_requests_kept:
        kept["subject_requests"] = SubjectRequest.person_id.is_(None)
    scanned = scan_for_values(
        session=session, values=tuple(v for v in values if v.lower() not in shared), kept=kept
    )
    hits = [h for h in scanned if not h.kept]
    if hits:
        raise ErasureIncomplete(hits)
    return hits, [h for h in scanned if h.kept and (h.table != "subject_requests" or request_id is None)]


def scrub_when_committed(session: Session, rows: dict[str, int]) -> None:
    engine = session.get_bind().engine
    after_commit(session, lambda: scrub_after_erasure(engine, [table for table, n in rows.items() if n]))


def _years_after(moment: datetime, years: int) -> date:
    day = moment.date()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
