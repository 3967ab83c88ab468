"""The field history (field_changes): one row per changed field, old and new value, who changed it and why (a
correction request, or an import's upsert). A person's fields name the person; a register entry's (a
recipient's) name the record. Erasure blanks a person's values (data_access.erasure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from data_access.models import FieldChange
from data_access.types import utcnow

T = TypeVar("T")


@dataclass(frozen=True)
class FieldUpdate:
    """One field a change would set: table.field from `old` to `new`, both as text."""

    table: str
    field: str
    old: str | None
    new: str | None


def add_field_change(
    session: Session,
    *,
    person_id: int | None,
    table: str,
    field: str,
    old: str | None,
    new: str | None,
    by: str,
    subject_request_id: int | None = None,
    record_id: int | None = None,
) -> FieldChange:
    change = FieldChange(
        person_id=person_id,
        table_name=table,
        field=field,
        old_value=old,
        new_value=new,
        changed_at=utcnow(),
        changed_by=by,
        subject_request_id=subject_request_id,
        record_id=record_id,
    )
    session.add(change)
    session.flush()
    return change


def add_field_updates(
    session: Session,
    updates: tuple[FieldUpdate, ...],
    *,
    by: str,
    person_id: int | None = None,
    record_id: int | None = None,
) -> None:
    for update in updates:
        add_field_change(
            session,
            person_id=person_id,
            table=update.table,
            field=update.field,
            old=update.old,
            new=update.new,
            by=by,
            record_id=record_id,
        )


def person_row(session: Session, model: type[T], person_id: int) -> T | None:
    """The person's row of a one-per-person table (contacts, billing_profiles), keyed by person id."""
    return session.get(model, person_id)
