"""Sharing and legal registers on SQLite and PostgreSQL: forms refuse what the policy does not allow, naming
the field and writing nothing; the legal workflow enforces review before disclosure and honours gag orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.rules.policy_diff import policy_diff
from dashboard.rules.transparency import transparency_report
from dashboard.services.legal_register import (
    LegalInputError,
    LegalRequestInput,
    log_legal_request,
    record_disclosure,
    record_notice,
    review,
)
from dashboard.services.sharing_register import SharingInput, SharingInputError, record_sharing
from data_access.models import Consent, LegalRequestPerson, Recipient, SharingRecord
from data_access.models.enums import DisclosureOutcome, LegalBasis, LegalRequestType, ReviewDecision, Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
AT = datetime(2026, 10, 1, 12, tzinfo=UTC)


@pytest.fixture
def register(session: Session) -> dict[str, int]:
    approved = Recipient(
        name="Mailer",
        role="technology_platform",
        country="US",
        contract_status="signed",
        approved=True,
        allowed_categories=["user.contact.email", "user.name"],
    )
    pending = Recipient(
        name="Trial analytics",
        role="analytics",
        country="DE",
        contract_status="pending",
        approved=False,
        allowed_categories=["user.behavior"],
    )
    session.add_all([approved, pending])
    consenting, other = make_person(session), make_person(session)
    session.add(
        Consent(
            person_id=consenting.id,
            scope="sharing:feedback",
            reference="C-1",
            given_at=AT - timedelta(days=5),
        )
    )
    session.commit()
    return {"approved": approved.id, "pending": pending.id, "consenting": consenting.id, "other": other.id}


def _entry(register: dict[str, int], **changes: object) -> SharingInput:
    base = SharingInput(
        recipient_id=register["approved"],
        shared_at=AT,
        categories=("user.contact.email",),
        purpose="essential.service.notifications",
        legal_basis=LegalBasis.CONTRACT,
        person_ids=(register["consenting"],),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_valid_sharing_record_is_written_with_consent_references(
    session: Session, register: dict[str, int]
) -> None:
    sharing = record_sharing(
        session=session,
        principal=MANAGER,
        entry=_entry(
            register,
            legal_basis=LegalBasis.CONSENT,
            consent_scope="sharing:feedback",
            purpose="functional.service.improve",
        ),
    )
    session.commit()
    assert sharing.id and sharing.categories == ["user.contact.email"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categories": ("user.contact.phone_number",)}, "categories"),
        ({"categories": ("user.made.up",)}, "categories"),
        ({"categories": ("user.financial",)}, "recipient"),
        ({"recipient_id": "pending"}, "recipient"),
        ({"purpose": "marketing.advertising"}, "purpose"),
        ({"purpose": "not.a.use"}, "purpose"),
        ({"person_ids": ()}, "people"),
        ({"person_ids": (999_999,)}, "people"),
        ({"legal_basis": LegalBasis.CONSENT}, "consent_scope"),
        (
            {"legal_basis": LegalBasis.CONSENT, "consent_scope": "sharing:feedback", "person_ids": "other"},
            "people",
        ),
    ],
)
def test_the_sharing_form_refuses_what_the_policy_forbids_and_writes_nothing(
    session: Session, register: dict[str, int], changes: dict[str, object], field: str
) -> None:
    resolved = {
        k: (
            register[v]
            if k == "recipient_id" and isinstance(v, str)
            else (register[v],)
            if k == "person_ids" and isinstance(v, str)
            else v
        )
        for k, v in changes.items()
    }
    with pytest.raises(SharingInputError) as error:
        record_sharing(session=session, principal=MANAGER, entry=_entry(register, **resolved))
    assert error.value.field == field
    assert session.scalar(select(func.count()).select_from(SharingRecord)) == 0


def test_a_legal_request_goes_from_log_to_review_to_disclosure_to_notice(
    session: Session, register: dict[str, int]
) -> None:
    entry = LegalRequestInput("Superior Court", "US-CA", LegalRequestType.SUBPOENA, AT, (register["other"],))
    request = log_legal_request(session=session, principal=MANAGER, entry=entry)
    assert request.reference == f"LR-2026-{request.id:03d}"
    with pytest.raises(LegalInputError) as early:
        record_disclosure(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            outcome=DisclosureOutcome.SOME,
            categories=("user.contact.email",),
            disclosed_at=AT,
            notice_prohibited_until=None,
        )
    assert early.value.field == "outcome"
    with pytest.raises(LegalInputError) as no_basis:
        review(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            reviewer="Counsel",
            decision=ReviewDecision.COMPLY,
            reason="valid",
            legal_basis=None,
        )
    assert no_basis.value.field == "legal_basis"
    review(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        reviewer="Counsel",
        decision=ReviewDecision.COMPLY,
        reason="valid",
        legal_basis="CCP 1985",
        now=AT + timedelta(days=1),
    )
    record_disclosure(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        outcome=DisclosureOutcome.SOME,
        categories=("user.contact.email",),
        disclosed_at=AT + timedelta(days=2),
        notice_prohibited_until=date(2026, 12, 31),
    )
    with pytest.raises(LegalInputError, match="prohibited until 2026-12-31"):
        record_notice(session=session, principal=MANAGER, request_id=request.id, at=AT + timedelta(days=3))
    assert (
        record_notice(
            session=session, principal=MANAGER, request_id=request.id, at=datetime(2027, 1, 2, tzinfo=UTC)
        )
        == 1
    )
    session.commit()
    assert session.scalar(select(LegalRequestPerson.notified_at)) is not None


def test_a_disclosure_is_recorded_at_a_past_time_and_refused_in_the_future(
    session: Session, register: dict[str, int]
) -> None:
    request = log_legal_request(
        session=session,
        principal=MANAGER,
        entry=LegalRequestInput(
            "Superior Court", "US-CA", LegalRequestType.SUBPOENA, AT, (register["other"],)
        ),
    )
    review(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        reviewer="Counsel",
        decision=ReviewDecision.COMPLY,
        reason="valid",
        legal_basis="CCP 1985",
        now=AT + timedelta(hours=1),
    )
    with pytest.raises(LegalInputError, match="in the future") as ahead:
        record_disclosure(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            outcome=DisclosureOutcome.SOME,
            categories=("user.contact.email",),
            disclosed_at=AT + timedelta(days=2),
            notice_prohibited_until=None,
            now=AT + timedelta(days=1),
        )
    assert ahead.value.field == "disclosed_at"
    backdated = AT + timedelta(hours=5)  # recorded days later, as it happened
    record_disclosure(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        outcome=DisclosureOutcome.SOME,
        categories=("user.contact.email",),
        disclosed_at=backdated,
        notice_prohibited_until=None,
        now=AT + timedelta(days=3),
    )
    session.commit()
    session.refresh(request)
    assert request.disclosed_at == backdated


def test_the_transparency_report_counts_requests_accounts_and_the_share_with_data() -> None:
    rows = pd.DataFrame(
        [
            {
                "received_at": datetime(2026, 2, 1, tzinfo=UTC),
                "request_type": "subpoena",
                "outcome": "some",
                "accounts": 2,
            },
            {
                "received_at": datetime(2026, 5, 1, tzinfo=UTC),
                "request_type": "subpoena",
                "outcome": "none",
                "accounts": 1,
            },
            {
                "received_at": datetime(2026, 6, 30, tzinfo=UTC),
                "request_type": "subpoena",
                "outcome": "all",
                "accounts": 3,
            },
            {
                "received_at": datetime(2026, 7, 1, tzinfo=UTC),
                "request_type": "court_order",
                "outcome": "pending",
                "accounts": 1,
            },
        ]
    )
    report = transparency_report(rows).to_dict(orient="records")
    assert [
        (
            r["period"],
            r["legal_process"],
            r["requests"],
            r["accounts_specified"],
            r["percentage_some_data_produced"],
        )
        for r in report
    ] == [("2026-H1", "subpoena", 3, 6, 66.7), ("2026-H2", "court_order", 1, 1, 0.0)]
    assert report[0]["period_end"] == date(2026, 6, 30)


def test_the_policy_diff_shows_the_added_line() -> None:
    diff = policy_diff("a\nb\nc\n", "a\nb\nnew line\nc\n", old_name="2023.1", new_name="2026.1")
    assert "+new line" in diff and diff.startswith("--- 2023.1")
    assert policy_diff("same", "same", old_name="x", new_name="y") == ""
