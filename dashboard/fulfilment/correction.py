"""Correction requests: change the field and keep its history (old and new value, who, which request)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.rules.email import is_email
from dashboard.rules.request_workflow import WorkflowError
from dashboard.services.request_workflow import record_fulfilment, request_to_fulfil
from data_access.field_history import add_field_change, person_row
from data_access.models import BillingProfile, Contact, FieldChange
from data_access.models.enums import RequestType

# table -> (model, fields a person may have corrected). Usernames and identifiers are keys, not facts
# about the person, and billing card details come from the payment processor.
CORRECTABLE: dict[str, tuple[type[Contact] | type[BillingProfile], tuple[str, ...]]] = {
    "contacts": (Contact, ("full_name", "email", "phone")),
    "billing_profiles": (BillingProfile, ("address_line", "city", "postal_code", "country")),
}


def fulfil_correction(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    expected_version: int,
    table: str,
    field: str,
    new_value: str,
) -> FieldChange:
    request, person_id = request_to_fulfil(
        session,
        principal,
        request_id,
        expected_version,
        (RequestType.CORRECTION,),
        "does not correct data",
        "correcting",
    )
    model, fields = CORRECTABLE.get(table, (None, ()))
    if model is None or field not in fields:
        allowed = "; ".join(f"{t}: {', '.join(f)}" for t, (_, f) in CORRECTABLE.items())
        raise WorkflowError("field", f"{table}.{field} cannot be corrected here; correctable: {allowed}")
    value = _validated(field, new_value)
    row = person_row(session, model, person_id)
    if row is None:
        raise WorkflowError("field", f"the person has no {table} record to correct")
    old = getattr(row, field)
    setattr(row, field, value)
    change = add_field_change(
        session,
        person_id=person_id,
        table=table,
        field=field,
        old=old,
        new=value,
        by=principal.username,
        subject_request_id=request.id,
    )
    record_fulfilment(
        session=session, principal=principal, request=request, note=f"corrected {table}.{field}"
    )
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.correction",
        object_type="subject_request",
        object_id=request.id,
        details={"table": table, "field": field},
    )
    return change


def _validated(field: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise WorkflowError("new_value", "the corrected value is empty")
    if field == "email":
        if not is_email(value):
            raise WorkflowError("new_value", f"{value!r} is not an email address")
        return value.lower()
    if field == "country" and not re.fullmatch(r"[A-Za-z]{2}", value):
        raise WorkflowError("new_value", "a country is a two-letter ISO code")
    return value.upper() if field == "country" else value
