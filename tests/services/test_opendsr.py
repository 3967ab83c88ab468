"""OpenDSR import and status export on SQLite and PostgreSQL: good requests stored once, malformed ones
rejected with their index, field and reason."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.opendsr import export_statuses, import_payload
from dashboard.imports.report import FileRefused
from dashboard.services.request_workflow import change_status
from data_access.models import SubjectRequest
from data_access.models.enums import RequestStatus, RequestType, Role

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
GOOD = {
    "subject_request_id": "a7551968-d5d6-44b2-9831-815ac9017798",
    "subject_request_type": "erasure",
    "submitted_time": "2026-10-02T15:00:00Z",
    "api_version": "1.0",
    "subject_identities": [
        {"identity_type": "email", "identity_value": "johndoe@example.com", "identity_format": "raw"},
        {"identity_type": "controller_customer_id", "identity_value": "U0000042", "identity_format": "raw"},
    ],
}


def _payload(*items: object) -> bytes:
    return json.dumps(list(items)).encode()


def test_a_request_is_imported_once_and_its_status_exported_in_the_opendsr_shape(session: Session) -> None:
    report = import_payload(session=session, principal=MANAGER, data=_payload(GOOD), source="in.json")
    assert report.counts() == {"read": 1, "stored": 1, "rejected": 0, "duplicates": 0}
    again = import_payload(
        session=session, principal=MANAGER, data=json.dumps(GOOD).encode(), source="in.json"
    )
    assert again.counts() == {"read": 1, "stored": 0, "rejected": 1, "duplicates": 1}
    request = session.scalars(select(SubjectRequest)).one()
    assert (request.request_type, request.regime, request.requester_email) == (
        RequestType.DELETION,
        "gdpr",
        "johndoe@example.com",
    )
    assert "controller_customer_id=U0000042" in (request.details or "")
    [status] = export_statuses(session=session)
    assert status == {
        "controller_id": "interface-billing",
        "expected_completion_time": "2026-11-02T23:59:59Z",
        "subject_request_id": GOOD["subject_request_id"],
        "request_status": "pending",
        "api_version": "1.0",
    }
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=RequestStatus.REJECTED,
        reason="duplicate account",
    )
    assert export_statuses(session=session)[0]["request_status"] == "cancelled"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject_request_id": "42"}, "subject_request_id"),
        ({"subject_request_type": "rectification"}, "subject_request_type"),
        ({"submitted_time": "2 October"}, "submitted_time"),
        ({"submitted_time": "2026-10-02T15:00:00"}, "submitted_time"),
        ({"subject_identities": []}, "subject_identities"),
        (
            {
                "subject_identities": [
                    {"identity_type": "email", "identity_value": "x@example.com", "identity_format": "sha256"}
                ]
            },
            "subject_identities[0].identity_format",
        ),
    ],
)
def test_malformed_requests_are_rejected_with_the_reason_and_the_rest_stored(
    session: Session, change: dict[str, object], field: str
) -> None:
    bad = {
        **GOOD,
        **change,
        "subject_request_id": change.get("subject_request_id", "0f4b2c9e-4d8e-4f61-9a57-6a3c1f0e2b11"),
    }
    report = import_payload(session=session, principal=MANAGER, data=_payload(bad, GOOD), source="in.json")
    assert (report.read, report.stored, report.rejected) == (2, 1, 1)
    assert (report.errors[0].line, report.errors[0].field) == (1, field)
    assert session.scalar(select(func.count()).select_from(SubjectRequest)) == 1


def test_a_payload_that_is_not_json_is_refused_whole(session: Session) -> None:
    with pytest.raises(FileRefused, match="not JSON"):
        import_payload(session=session, principal=MANAGER, data=b"{not json", source="in.json")
