"""Deletion requests: erase the person everywhere, keep only what the law requires, then prove it by a scan.

The erasure and the scan run in the caller's one transaction: if the scan still finds any of the
person's identifying values, ErasureIncomplete is raised and the caller's rollback leaves the
database exactly as it was, so an erasure is never half done. Once that transaction commits, the files are
scrubbed of the old values too (data_access.erasure.scrub_after_erasure).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.services.request_workflow import record_fulfilment, request_to_fulfil
from data_access.db import after_commit
from data_access.erasure import erase_person_rows, identifying_values, scrub_after_erasure
from data_access.models import Invoice, RetentionHold
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


@dataclass(frozen=True)
class ErasureResult:
    rows: dict[str, int]
    retained_invoices: int
    values_checked: int
    scan_hits: list[ScanHit]


def fulfil_deletion(*, session: Session, principal: Principal, request_id: int, expected_version: int,
                    now: datetime | None = None) -> ErasureResult:
    now = now or utcnow()
    request, person_id = request_to_fulfil(session, principal, request_id, expected_version,
                                           (RequestType.DELETION,), "does not erase data", "erasing")
    found = identifying_values(session=session, person_id=person_id)
    invoices = session.execute(select(Invoice.id, Invoice.issued_at).where(
        Invoice.person_id == person_id)).all()
    pseudonym = secrets.token_hex(16)
    rows = erase_person_rows(session=session, found=found, pseudonym=pseudonym, now=now)
    session.add_all(RetentionHold(pseudonym=pseudonym, table_name="invoices", record_id=invoice_id,
                                  reason=INVOICE_RETENTION_REASON, retain_until=_years_after(issued, INVOICE_RETENTION_YEARS),
                                  subject_request_id=request.id) for invoice_id, issued in invoices)
    session.flush()
    hits = scan_for_values(session=session, values=found.values)
    if hits:
        raise ErasureIncomplete(hits)
    result = ErasureResult(rows, len(invoices), len(found.values), hits)
    record_fulfilment(session=session, principal=principal, request=request,
                      note=f"erased person {found.person_id}: "
                           + ", ".join(f"{table} {n}" for table, n in sorted(rows.items()) if n)
                           + f"; {len(invoices)} invoice(s) kept pseudonymised for {INVOICE_RETENTION_YEARS} years; "
                             f"scan of {len(found.values)} identifying value(s) over every text column found none")
    record(session=session, actor=principal.username, role=principal.role, action="request.erasure",
           object_type="subject_request", object_id=request.id,
           details={"person_id": found.person_id, "rows": rows, "retained_invoices": len(invoices),
                    "values_checked": len(found.values)})
    engine = session.get_bind().engine
    after_commit(session, lambda: scrub_after_erasure(engine, [table for table, n in rows.items() if n]))
    return result


def _years_after(moment: datetime, years: int) -> date:
    day = moment.date()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
