"""Import a suppression list (CSV of opt-outs) through the same service the opt-out form uses.

Columns: one of `email`, `phone`, `user` (username or user id) to find the person; `channel`
(email, sms, phone); `received_at` (ISO 8601 with a UTC offset); optional `source` (default
import), `purpose` (marketing or sale_sharing, default marketing) and `honoured_at` (when the
suppression was applied). The whole file is checked before anything is written; re-importing a
row already stored (same person, channel, purpose and time) is rejected as a duplicate, so a
second import of the same file changes nothing. A row that brings `honoured_at` for an opt-out
stored without one completes it (counted as updated) through the same service as the page's
"Mark suppression applied"; another time for one already applied is rejected, the first stands.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.imports.batches import close_batch, open_batch
from dashboard.imports.columns import CellInvalid, Column, parse_cell
from dashboard.imports.csv_source import CsvRow, read_csv_rows, sha256_of
from dashboard.imports.kinds import preference_key
from dashboard.imports.report import ImportReport, RowError
from dashboard.services.optout_lifecycle import mark_suppression_applied
from dashboard.services.preferences import PreferenceChange, record_preference_change, recorded_event
from data_access.locks import hold_import_lock
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus
from data_access.types import utcnow

KIND = "suppression"
PERSON_COLUMNS = ("email", "phone", "user")
TEMPLATE = "email,phone,user,channel,received_at,source,purpose,honoured_at\n"
COLUMNS = {
    "channel": Column("channel", "enum", True, (Channel.EMAIL, Channel.SMS, Channel.PHONE)),
    "received_at": Column("received_at", "datetime", True),
    "source": Column("source", "enum", False, tuple(PreferenceSource)),
    "purpose": Column("purpose", "enum", False, tuple(CommPurpose)),
    "honoured_at": Column("honoured_at", "datetime"),
}
REQUIRED = tuple(name for name, column in COLUMNS.items() if column.required)
OPTIONAL = tuple(name for name, column in COLUMNS.items() if not column.required)


def import_suppression_list(
    *, session: Session, principal: Principal, data: bytes, source: str, dry_run: bool = False
) -> ImportReport:
    """Validate every row, then (unless a dry run) store the valid ones and the rejected ones in one batch."""
    require(principal.role, "import.run")
    require(principal.role, "optout.record")
    report = ImportReport(source=source, dry_run=dry_run, can_update=True)
    valid: list[tuple[PreferenceChange, str, CsvRow]] = []
    seen: dict[str, int] = {}
    for row in read_csv_rows(data, source, required=REQUIRED, optional=OPTIONAL, one_of=PERSON_COLUMNS):
        report.read += 1
        try:
            change = _change(session, row)
        except CellInvalid as exc:
            report.reject(RowError(source, row.line, exc.field, str(exc), row.raw))
            continue
        key = preference_key(change)
        if key in seen:
            report.duplicates += 1
            report.reject(RowError(source, row.line, None, f"duplicate of line {seen[key]}", row.raw))
            continue
        seen[key] = row.line
        valid.append((change, key, row))
    fresh, updates = _against_stored(session, report, valid)
    report.stored, report.updated = len(fresh), len(updates)
    report.errors.sort(key=lambda error: error.line)
    if not dry_run:
        _write(session, principal, report, fresh, updates, sha256_of(data))
    return report


def _against_stored(
    session: Session,
    report: ImportReport,
    valid: list[tuple[PreferenceChange, str, CsvRow]],
) -> tuple[list[tuple[PreferenceChange, str]], list[tuple[int, datetime]]]:
    """Split the valid rows into new opt-outs and suppression times for pending ones already stored; the rest
    are duplicates, or another suppression time for one already applied (the first stands)."""
    fresh: list[tuple[PreferenceChange, str]] = []
    updates: list[tuple[int, datetime]] = []
    for change, key, row in valid:
        stored, honoured = recorded_event(session, change), change.honoured_at
        if stored is None:
            fresh.append((change, key))
        elif honoured is None or stored.honoured_at == honoured:
            report.duplicates += 1
            report.reject(
                RowError(report.source, row.line, None, "duplicate: this opt-out is already stored", row.raw)
            )
        elif stored.honoured_at is not None:
            report.reject(
                RowError(
                    report.source,
                    row.line,
                    "honoured_at",
                    f"opt-out {stored.id} was already marked applied at {stored.honoured_at.isoformat()}",
                    row.raw,
                )
            )
        elif honoured > utcnow():
            report.reject(
                RowError(
                    report.source,
                    row.line,
                    "honoured_at",
                    "the time the suppression was applied is in the future",
                    row.raw,
                )
            )
        else:
            updates.append((stored.id, honoured))
    return fresh, updates


def _write(
    session: Session,
    principal: Principal,
    report: ImportReport,
    fresh: list[tuple[PreferenceChange, str]],
    updates: list[tuple[int, datetime]],
    digest: str,
) -> None:
    hold_import_lock(session)  # one import at a time; DatabaseBusy at once if another runs
    batch = open_batch(session=session, kind=KIND, source=report.source, digest=digest, principal=principal)
    for change, key in sorted(fresh, key=lambda item: item[0].received_at):
        record_preference_change(
            session=session,
            principal=principal,
            change=change,
            audit=False,
            batch_id=batch.id,
            natural_key=key,
        )
    for opt_out_id, honoured_at in updates:  # each audited on its own: a change to a record already stored
        mark_suppression_applied(session=session, principal=principal, opt_out_id=opt_out_id, at=honoured_at)
    close_batch(session=session, batch=batch, report=report)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="import.suppression",
        object_type="import_batch",
        object_id=batch.id,
        details=report.counts(),
    )


def _change(session: Session, row: CsvRow) -> PreferenceChange:
    """The row's opt-out, its cells read by the one validator every importer uses (imports.columns)."""
    values = row.values
    if "__extra__" in values:
        raise CellInvalid("row", "more cells than header columns")
    cell = {name: parse_cell(session, column, values.get(name)) for name, column in COLUMNS.items()}
    if cell["honoured_at"] is not None and cell["honoured_at"] < cell["received_at"]:
        raise CellInvalid("honoured_at", "the suppression cannot be applied before the opt-out was received")
    return PreferenceChange(
        person_id=_person(session, values),
        channel=Channel(cell["channel"]),
        purpose=CommPurpose(cell["purpose"] or CommPurpose.MARKETING),
        new_status=PreferenceStatus.OPTED_OUT,
        source=PreferenceSource(cell["source"] or PreferenceSource.IMPORT),
        received_at=cell["received_at"],
        honoured_at=cell["honoured_at"],
    )


def _person(session: Session, values: dict[str, str]) -> int:
    """The person named by the first of email, phone and user that the row fills."""
    given = next((column for column in PERSON_COLUMNS if values.get(column)), None)
    if given is None:
        raise CellInvalid("email", "no person: give an email, phone or user")
    return int(parse_cell(session, Column(given, "person", True), values[given]))
