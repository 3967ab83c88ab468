"""Import a suppression list (CSV of opt-outs) through the same service the opt-out form uses.

Columns: one of `email`, `phone`, `user` (username or user id) to find the person; `channel`
(email, sms, phone); `received_at` (ISO 8601 with a UTC offset); optional `source` (default
import), `purpose` (marketing or sale_sharing, default marketing) and `honoured_at` (when the
suppression was applied). The whole file is checked before anything is written; re-importing a
row already stored (same person, channel, purpose and time) is rejected as a duplicate, so a
second import of the same file changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.imports.batches import close_batch, open_batch
from dashboard.imports.csv_source import CsvRow, read_csv_rows, sha256_of
from dashboard.imports.kinds import preference_key
from dashboard.imports.report import ImportReport, RowError
from dashboard.rules.field_error import FieldError
from dashboard.services.preferences import PreferenceChange, already_recorded, record_preference_change
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus
from data_access.queries.people import find_people

KIND = "suppression"
REQUIRED = ("channel", "received_at")
PERSON_COLUMNS = ("email", "phone", "user")
OPTIONAL = ("source", "purpose", "honoured_at")
TEMPLATE = "email,phone,user,channel,received_at,source,purpose,honoured_at\n"
CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PHONE)
E = TypeVar("E", Channel, CommPurpose, PreferenceSource)


class RowInvalid(FieldError):
    """One suppression-list row that cannot be read."""


def import_suppression_list(*, session: Session, principal: Principal, data: bytes, source: str,
                            dry_run: bool = False) -> ImportReport:
    """Validate every row, then (unless a dry run) store the valid ones and the rejected ones in one batch."""
    require(principal.role, "import.run")
    require(principal.role, "optout.record")
    report = ImportReport(source=source, dry_run=dry_run)
    valid: list[tuple[PreferenceChange, str, CsvRow]] = []
    seen: dict[str, int] = {}
    for row in read_csv_rows(data, source, required=REQUIRED, optional=OPTIONAL, one_of=PERSON_COLUMNS):
        report.read += 1
        try:
            change = _change(session, row)
        except RowInvalid as exc:
            report.errors.append(RowError(source, row.line, exc.field, str(exc), row.raw))
            continue
        key = preference_key(change)
        if key in seen:
            report.duplicates += 1
            report.errors.append(RowError(source, row.line, None, f"duplicate of line {seen[key]}", row.raw))
            continue
        seen[key] = row.line
        valid.append((change, key, row))
    fresh: list[tuple[PreferenceChange, str]] = []
    for change, key, row in valid:
        if already_recorded(session, change):
            report.duplicates += 1
            report.errors.append(RowError(source, row.line, None, "duplicate: this opt-out is already stored", row.raw))
        else:
            fresh.append((change, key))
    report.stored = len(fresh)
    report.errors.sort(key=lambda error: error.line)
    if not dry_run:
        _write(session, principal, report, fresh, sha256_of(data))
    return report


def _write(session: Session, principal: Principal, report: ImportReport,
           fresh: list[tuple[PreferenceChange, str]], digest: str) -> None:
    batch = open_batch(session=session, kind=KIND, source=report.source, digest=digest, principal=principal)
    for change, key in sorted(fresh, key=lambda item: item[0].received_at):
        record_preference_change(session=session, principal=principal, change=change, audit=False,
                                 batch_id=batch.id, natural_key=key)
    close_batch(session=session, batch=batch, report=report)
    record(session=session, actor=principal.username, role=principal.role, action="import.suppression",
           object_type="import_batch", object_id=batch.id, details=report.counts())


def _change(session: Session, row: CsvRow) -> PreferenceChange:
    values = row.values
    if "__extra__" in values:
        raise RowInvalid("row", "more cells than header columns")
    received_at, honoured_at = _required_time(values, "received_at"), _time(values, "honoured_at")
    if honoured_at is not None and honoured_at < received_at:
        raise RowInvalid("honoured_at", "the suppression cannot be applied before the opt-out was received")
    return PreferenceChange(
        person_id=_person(session, values),
        channel=_choice(values, "channel", CHANNELS, None),
        purpose=_choice(values, "purpose", tuple(CommPurpose), CommPurpose.MARKETING),
        new_status=PreferenceStatus.OPTED_OUT,
        source=_choice(values, "source", tuple(PreferenceSource), PreferenceSource.IMPORT),
        received_at=received_at,
        honoured_at=honoured_at,
    )


def _person(session: Session, values: dict[str, str]) -> int:
    given = [(column, values[column]) for column in PERSON_COLUMNS if values.get(column)]
    if not given:
        raise RowInvalid("email", "no person: give an email, phone or user")
    column, term = given[0]
    matches = find_people(session=session, term=term, limit=2)
    if not matches:
        raise RowInvalid(column, "no person has this value")
    if len(matches) > 1:
        raise RowInvalid(column, "more than one person has this value")
    return matches[0].person_id


def _choice(values: dict[str, str], field: str, allowed: tuple[E, ...], default: E | None) -> E:
    text = values.get(field, "").lower()
    if not text:
        if default is None:
            raise RowInvalid(field, "required")
        return default
    for option in allowed:
        if str(option) == text:
            return option
    raise RowInvalid(field, f"{text!r} is not one of {', '.join(str(o) for o in allowed)}")


def _required_time(values: dict[str, str], field: str) -> datetime:
    value = _time(values, field)
    if value is None:
        raise RowInvalid(field, "required")
    return value


def _time(values: dict[str, str], field: str) -> datetime | None:
    text = values.get(field, "")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise RowInvalid(field, f"{text!r} is not an ISO 8601 time") from exc
    if value.tzinfo is None:
        raise RowInvalid(field, f"{text!r} has no UTC offset (write e.g. {text}+00:00)")
    return value
