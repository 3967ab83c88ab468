"""`compliance sync`: read people straight from the billing platform's own database, incrementally.

A declarative mapping (YAML) names the source table, its key, its updated-at column and which source column
fills which of our fields. Each run reads only rows changed since the last run's high-water mark (kept in
sync_state per source and entity), creates people it has not seen and updates the ones it has, in one
transaction. Naive source times are read as UTC unless the mapping says otherwise. An update leaves field
history and an audit entry as a people import's does (dashboard.imports.people_upsert), a row that changes
nothing counts as unchanged, and an erased person's row is skipped, never re-created.
A mapped `closed_at` (and optionally `account_status`) carries the account's closure, which its
retention runs from (dashboard.rules.account_closure): a NULL closure time is an open account, so
a reopened one loses its closure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.imports.people_upsert import field_text
from dashboard.privacy.erased_reference import erased_reference
from dashboard.rules.account_closure import account_closure
from dashboard.rules.field_error import FieldError
from data_access.field_history import FieldUpdate, add_field_updates
from data_access.locks import hold_import_lock
from data_access.models import Contact, Person
from data_access.models.enums import AccountStatus
from data_access.people_upsert import CONTACT, PERSON, person_by_ref, reference_taken, stored_value
from data_access.sync_source import (
    MissingSourceColumns,
    changed_rows,
    save_sync_state,
    source_name,
    store_person,
    sync_state,
)

PERSON_FIELDS = ("username", "country", "region", "created_at", "account_status", "closed_at")
CONTACT_FIELDS = ("full_name", "email", "phone")
CHUNK = 1_000
TRACKED = (
    *((PERSON, name) for name in ("username", "country", "region", "status", "closed_at")),
    *((CONTACT, n) for n in CONTACT_FIELDS),
)


class MappingError(FieldError):
    """A sync mapping file that cannot be used; the message names the mapping field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, f"mapping: {field}: {message}")


@dataclass(frozen=True)
class Mapping:
    table: str
    key: str
    updated_at: str
    columns: dict[str, str]
    timezone: str = "UTC"


@dataclass
class SyncReport:
    read: int = 0
    created: int = 0
    updated: int = 0  # people stored whose values the row changed (with field history)
    unchanged: int = 0  # people stored whose values the row left as they were
    erased: int = 0  # rows of erased people, not re-created
    high_water: datetime | None = None
    skipped: list[str] = field(default_factory=list)


def load_mapping(path: Path) -> Mapping:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for required in ("table", "key", "updated_at", "columns"):
        if not doc.get(required):
            raise MappingError(required, "required")
    unknown = sorted(set(doc["columns"]) - {*PERSON_FIELDS, *CONTACT_FIELDS})
    if unknown:
        raise MappingError(
            "columns",
            f"unknown target field(s) {', '.join(unknown)}; "
            f"known: {', '.join((*PERSON_FIELDS, *CONTACT_FIELDS))}",
        )
    if "country" not in doc["columns"]:
        raise MappingError("columns", "country is required (it decides the legal regime)")
    if "account_status" in doc["columns"] and "closed_at" not in doc["columns"]:
        raise MappingError(
            "columns", "account_status needs closed_at (an account's retention runs from its closure)"
        )
    return Mapping(
        doc["table"], doc["key"], doc["updated_at"], dict(doc["columns"]), doc.get("timezone", "UTC")
    )


def sync_people(
    *, session: Session, principal: Principal, source_url: str, mapping: Mapping, now: datetime | None = None
) -> SyncReport:
    require(principal.role, "import.run")
    hold_import_lock(session)  # one import at a time; DatabaseBusy at once if another runs
    source = source_name(source_url)
    state = sync_state(session, source, "people")
    report = SyncReport(high_water=state.high_water)
    since = None if state.high_water is None else _source_time(state.high_water, mapping)
    chunks = changed_rows(
        source_url,
        mapping.table,
        (mapping.key, mapping.updated_at, *mapping.columns.values()),
        mapping.updated_at,
        since,
        CHUNK,
    )
    try:
        for rows in chunks:
            for row in rows:
                _upsert(session, principal, mapping, row, report)
    except MissingSourceColumns as exc:
        raise MappingError("columns", str(exc)) from exc
    finally:
        chunks.close()  # disposes of the source engine even when a row is refused
    save_sync_state(session, state, report.high_water, now or datetime.now(UTC))
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="import.sync",
        object_type="sync",
        object_id=mapping.table,
        details={
            "source": source,
            "read": report.read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "erased": report.erased,
        },
    )
    return report


def _upsert(session: Session, principal: Principal, mapping: Mapping, row: Any, report: SyncReport) -> None:
    report.read += 1
    ref = str(row[mapping.key])
    values = {target: row[source] for target, source in mapping.columns.items()}
    changed = _aware(row[mapping.updated_at], mapping)
    if changed is None:
        raise MappingError("updated_at", f"row {ref} has no {mapping.updated_at}")
    report.high_water = changed if report.high_water is None else max(report.high_water, changed)
    person = person_by_ref(session, ref)
    before: dict[tuple[str, str], object] | None = None
    if person is None:
        if reference_taken(session, erased_reference(ref)):
            report.erased += 1
            report.skipped.append(f"user id {ref}: an erased person's; not re-created")
            return
        created = _aware(values.get("created_at"), mapping) or changed
        person = Person(external_ref=ref, country="", created_at=created, updated_at=changed)
        person.contact = Contact()
        report.created += 1
    else:
        before = {field: stored_value(person, *field) for field in TRACKED}
        if person.contact is None:
            person.contact = Contact()
    for name in ("username", "region"):
        if name in values:
            setattr(person, name, values[name] or None)
    person.country = str(values["country"] or "").upper()[:2]
    person.updated_at = changed
    if "closed_at" in values:
        _set_closure(person, values, mapping, ref)
    for name in CONTACT_FIELDS:
        if name in values:
            value = values[name]
            setattr(person.contact, name, (value.lower() if name == "email" and value else value) or None)
    store_person(session, person)
    if before is not None:
        _record_changes(session, principal, mapping, person, before, report)


def _set_closure(person: Person, values: dict[str, Any], mapping: Mapping, ref: str) -> None:
    """The source's closure: its time closes the account; NULL reopens it
    (dashboard.rules.account_closure)."""
    status = values.get("account_status")
    try:
        closure = account_closure(
            str(status).strip().lower() if status else None,
            _aware(values["closed_at"], mapping),
            created_at=person.created_at,
            empty_means_open=True,
        )
    except FieldError as exc:
        source = mapping.columns[exc.field]
        where = f"{mapping.table} row {ref}: {source} ({exc.field})"
        raise FieldError(exc.field, f"{where}: {exc}") from exc
    assert closure is not None  # empty_means_open: never None
    person.status = closure.status_for(person.status or AccountStatus.ACTIVE)
    person.closed_at = None if closure.closed_at is None else closure.closed_at.astimezone(UTC)


def _record_changes(
    session: Session,
    principal: Principal,
    mapping: Mapping,
    person: Person,
    before: dict[tuple[str, str], object],
    report: SyncReport,
) -> None:
    """Field history and an audit entry for what the row changed, as a people import's update leaves them."""
    changes = tuple(
        FieldUpdate(table, field, field_text(old), field_text(stored_value(person, table, field)))
        for (table, field), old in before.items()
        if field_text(old) != field_text(stored_value(person, table, field))
    )
    if not changes:
        report.unchanged += 1
        return
    report.updated += 1
    add_field_updates(session, changes, by=principal.username, person_id=person.id)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="person.import_update",
        object_type="person",
        object_id=person.id,
        details={"fields": [f"{c.table}.{c.field}" for c in changes], "sync": mapping.table},
    )


def _aware(value: Any, mapping: Mapping) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=ZoneInfo(mapping.timezone)) if moment.tzinfo is None else moment


def _source_time(moment: datetime, mapping: Mapping) -> datetime:
    """The high-water mark as the source stores its times (naive in its zone, if it has no zones)."""
    return moment.astimezone(ZoneInfo(mapping.timezone)).replace(tzinfo=None)
