"""The field history of a person's data (field_changes): one row per changed field, old and new value, who
changed it and why (a correction request, or an import batch's upsert). Erasure blanks the values
(data_access.erasure)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from data_access.models import FieldChange
from data_access.types import utcnow


def add_field_change(session: Session, *, person_id: int, table: str, field: str, old: str | None,
                     new: str | None, by: str, subject_request_id: int | None = None) -> FieldChange:
    change = FieldChange(person_id=person_id, table_name=table, field=field, old_value=old, new_value=new,
                         changed_at=utcnow(), changed_by=by, subject_request_id=subject_request_id)
    session.add(change)
    session.flush()
    return change
