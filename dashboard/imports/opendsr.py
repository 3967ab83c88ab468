"""OpenDSR (formerly OpenGDPR) in and out: import requests in its JSON shape, export their status in it.

Spec: github.com/opengdpr/OpenDSR, sections 7.1 (request) and 8.3 (status). Types: access,
portability, erasure. Statuses: pending, in_progress, completed, cancelled. A payload is one
request object or an array of them; each is validated on its own and a bad one is rejected
with the reason, naming its index and field. `subject_request_id` is kept as the external id,
so importing the same payload twice stores nothing twice.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.imports import bounded_json
from dashboard.imports.report import FileRefused, ImportReport, RowError
from dashboard.rules.field_error import FieldError
from dashboard.rules.request_workflow import effective_due
from dashboard.services.request_intake import RequestIntake, create_request, validate_intake
from data_access.import_rows import subject_request_stored
from data_access.models import SubjectRequest
from data_access.models.enums import RequestChannel, RequestStatus, RequestType
from data_access.requests_repo import requests_by_id

CONTROLLER_ID = "interface-billing"
API_VERSION = "1.0"
TYPES = {
    "access": RequestType.ACCESS,
    "portability": RequestType.PORTABILITY,
    "erasure": RequestType.DELETION,
}
STATUS = {
    RequestStatus.RECEIVED: "pending",
    RequestStatus.VERIFYING: "pending",
    RequestStatus.IN_PROGRESS: "in_progress",
    RequestStatus.EXTENDED: "in_progress",
    RequestStatus.COMPLETED: "completed",
    RequestStatus.REJECTED: "cancelled",
    RequestStatus.CLOSED_UNVERIFIED: "cancelled",
}


class OpenDsrError(FieldError):
    """An OpenDSR payload that does not follow the format."""


class PayloadRefused(FileRefused):
    """The payload is not JSON at all: nothing of it is imported."""


def parse_request(item: Any, *, regime: str) -> RequestIntake:
    """One OpenDSR request object -> an intake; OpenDsrError names the first bad field."""
    if not isinstance(item, dict):
        raise OpenDsrError("request", "each request must be a JSON object")
    request_id = _required(item, "subject_request_id")
    try:
        uuid.UUID(request_id)
    except ValueError as exc:
        raise OpenDsrError("subject_request_id", f"{request_id!r} is not a UUID") from exc
    kind = _required(item, "subject_request_type")
    if kind not in TYPES:
        raise OpenDsrError("subject_request_type", f"{kind!r} is not one of {', '.join(TYPES)}")
    submitted = _time(_required(item, "submitted_time"))
    identities = item.get("subject_identities")
    if not isinstance(identities, list) or not identities:
        raise OpenDsrError("subject_identities", "at least one identity is required")
    email = phone = None
    other: list[str] = []
    for index, identity in enumerate(identities):
        if (
            not isinstance(identity, dict)
            or not identity.get("identity_type")
            or not identity.get("identity_value")
        ):
            raise OpenDsrError(f"subject_identities[{index}]", "needs identity_type and identity_value")
        if identity.get("identity_format", "raw") != "raw":
            raise OpenDsrError(
                f"subject_identities[{index}].identity_format",
                "only raw identities can be matched to our records",
            )
        value = str(identity["identity_value"]).strip()
        if identity["identity_type"] == "email":
            email = email or value
        elif identity["identity_type"] == "phone_number":
            phone = phone or value
        else:
            other.append(f"{identity['identity_type']}={value}")
    return RequestIntake(
        requester_name=email or phone or "OpenDSR subject",
        request_type=TYPES[kind],
        channel=RequestChannel.WEB_FORM,
        received_at=submitted,
        requester_email=email,
        requester_phone=phone,
        regime=regime,
        external_id=request_id,
        details="received via OpenDSR" + (f"; identities: {', '.join(other)}" if other else ""),
    )


def import_payload(
    *,
    session: Session,
    principal: Principal,
    data: bytes,
    source: str,
    regime: str = "gdpr",
    dry_run: bool = False,
) -> ImportReport:
    """Validate and (unless a dry run) store every request of a payload; read = stored + rejected."""
    require(principal.role, "request.create")
    report = ImportReport(source=source, dry_run=dry_run)
    try:
        payload = bounded_json.loads(data)
    except bounded_json.JsonTooDeep as exc:
        raise PayloadRefused(f"{source}: {exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadRefused(f"{source}: not JSON ({str(exc)[:160]})") from exc
    except ValueError as exc:  # a number of thousands of digits
        raise PayloadRefused(f"{source}: not JSON ({str(exc)[:160]})") from exc
    items = payload if isinstance(payload, list) else [payload]
    for index, item in enumerate(items, start=1):
        report.read += 1
        try:
            intake = parse_request(item, regime=regime)
            if subject_request_stored(session, intake.external_id):
                report.duplicates += 1
                raise OpenDsrError("subject_request_id", "already imported")
            if dry_run:
                validate_intake(intake)
            else:
                with session.begin_nested():
                    create_request(session=session, principal=principal, intake=intake)
        except FieldError as exc:
            report.reject(RowError(source, index, exc.field, str(exc)))
            continue
        report.stored += 1
    return report


def status_of(request: SubjectRequest) -> dict[str, Any]:
    """The OpenDSR status body (section 8.3) of one of our requests."""
    due = effective_due(request.due_date, request.extended_due_date)
    return {
        "controller_id": CONTROLLER_ID,
        "expected_completion_time": datetime.combine(due, time(23, 59, 59), UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "subject_request_id": request.external_id or request.reference,
        "request_status": STATUS[request.status],
        "api_version": API_VERSION,
    }


def export_statuses(*, session: Session, only_opendsr: bool = True) -> list[dict[str, Any]]:
    return [status_of(request) for request in requests_by_id(session, with_external_id_only=only_opendsr)]


def _required(item: dict[str, Any], field: str) -> str:
    value = item.get(field)
    if not isinstance(value, str) or not value.strip():
        raise OpenDsrError(field, f"{field} is required")
    return value.strip()


def _time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise OpenDsrError("submitted_time", f"{text!r} is not an RFC 3339 time") from exc
    if value.tzinfo is None:
        raise OpenDsrError("submitted_time", f"{text!r} has no UTC offset")
    return value
