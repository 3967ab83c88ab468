"""An erasure's follow-through on SQLite and PostgreSQL: what is left of the person (not the data map's list),
the recipients to tell from their sharing records, notices recorded with an audit entry, the two
policy checks, and the requester's contact kept until the completion is confirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.checks.base import CheckContext
from dashboard.checks.catalogue import run_checks
from dashboard.rules.erasure_follow_through import held_categories
from dashboard.rules.field_error import FieldError
from dashboard.services.erasure_follow_through import (
    NoticeEntry,
    confirm_completion,
    erasure_for_request,
    recipients_with_state,
    record_recipient_notice,
    what_is_left,
)
from data_access.db import session_factory
from data_access.models import AuditEntry, SubjectRequest
from data_access.models.enums import Role
from tests.erasure_case import MANAGER, erase_someone

AUDITOR = Principal("auditor", "Avery Auditor", Role.AUDITOR)
CHECKS = ["erasure-recipients-notified", "erasure-contact-removed"]


def _checks(engine: Engine, now: datetime) -> dict[str, list[str]]:
    with session_factory(engine)() as session:
        return {
            r.key: sorted(r.evidence.get("recipient", r.evidence.get("reference", [])).astype(str))
            for r in run_checks(session=session, context=CheckContext(now), keys=CHECKS)
        }


def test_what_is_left_lists_only_held_values_with_the_invoices_hold(engine: Engine) -> None:
    case = erase_someone(engine)
    with session_factory(engine)() as session:
        left = what_is_left(session=session, person_id=case.person_id)
    assert left is not None and left.erasure.reference == case.reference
    tables = {item.table: item for item in left.left}
    assert tables["invoices"].form == "pseudonymised" and "tax" in tables["invoices"].why
    assert "user.name" not in tables["invoices"].categories  # billing name removed
    assert "user.contact.address" not in held_categories(left.left)
    assert "contacts" not in tables and "billing_profiles" not in tables
    assert "user.account.username" not in held_categories(left.left)
    # the requester's contact is kept on the request, and said to be, until the completion is confirmed
    assert "user.contact.email" in tables["subject_requests"].categories
    with session_factory(engine)() as session:
        confirm_completion(session=session, principal=MANAGER, request_id=case.request_id, channel="email")
        session.commit()
        after = what_is_left(session=session, person_id=case.person_id)
        assert after is not None
        assert not {"user.name", "user.contact.email"} & set(held_categories(after.left))
        request = session.get(SubjectRequest, case.request_id)
        assert request is not None and request.requester_email is None
        assert (
            session.scalar(
                select(AuditEntry.action).where(AuditEntry.action == "request.completion_confirmed")
            )
            is not None
        )


def test_a_person_never_erased_has_no_what_is_left(engine: Engine) -> None:
    from tests.factories import make_person

    with session_factory(engine)() as session:
        person = make_person(session)
        assert what_is_left(session=session, person_id=person.id) is None


def test_recipients_come_from_the_sharing_records_and_notices_are_recorded_and_audited(
    engine: Engine,
) -> None:
    case = erase_someone(engine)
    [hosting, payments] = sorted(case.recipients)
    with session_factory(engine)() as session:
        erasure = erasure_for_request(session=session, request_id=case.request_id)
        assert erasure is not None and erasure.contact_kept
        frame = recipients_with_state(session=session, erasure=erasure)
        assert sorted(frame["recipient"]) == [hosting, payments] and set(frame["state"]) == {"to send"}
        sent = erasure.erased_at + timedelta(hours=1)
        record_recipient_notice(
            session=session,
            principal=MANAGER,
            request_id=case.request_id,
            entry=NoticeEntry(recipient_id=case.recipients[hosting], sent_at=sent, channel="email"),
        )
        record_recipient_notice(
            session=session,
            principal=MANAGER,
            request_id=case.request_id,
            entry=NoticeEntry(
                recipient_id=case.recipients[hosting],
                sent_at=sent,
                channel="email",
                answer="deleted on our side",
                answered_at=sent + timedelta(days=1),
            ),
        )  # the answer updates the same notice
        session.commit()
        frame = recipients_with_state(session=session, erasure=erasure).set_index("recipient")
        assert (
            frame.loc[hosting, "state"] == "answered"
            and frame.loc[hosting, "answer"] == "deleted on our side"
        )
        assert frame.loc[payments, "state"] == "to send"
        audits = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "request.erasure_notice")
        ).all()
        assert len(audits) == 2 and audits[1]["before"]["answer"] is None  # type: ignore[index]
        assert audits[1]["after"]["answer"] == "deleted on our side"  # type: ignore[index]


def test_notices_are_validated_and_refused_to_other_roles(engine: Engine) -> None:
    case = erase_someone(engine)
    recipient = next(iter(case.recipients.values()))
    with session_factory(engine)() as session:
        cases = [
            (NoticeEntry(recipient_id=recipient), "sent_at"),
            (NoticeEntry(recipient_id=recipient, sent_at=datetime.now(UTC), channel="pigeon"), "channel"),
            (
                NoticeEntry(
                    recipient_id=recipient, sent_at=datetime.now(UTC) - timedelta(days=30), channel="email"
                ),
                "sent_at",
            ),
            (
                NoticeEntry(
                    recipient_id=recipient,
                    sent_at=datetime.now(UTC),
                    channel="email",
                    answered_at=datetime.now(UTC) + timedelta(hours=1),
                ),
                "answer",
            ),
            (NoticeEntry(recipient_id=10**9, exemption="x"), "recipient"),
        ]
        for entry, field in cases:
            with pytest.raises(FieldError) as refused:
                record_recipient_notice(
                    session=session, principal=MANAGER, request_id=case.request_id, entry=entry
                )
            assert refused.value.field == field
        with pytest.raises(AccessDenied):
            record_recipient_notice(
                session=session,
                principal=AUDITOR,
                request_id=case.request_id,
                entry=NoticeEntry(recipient_id=recipient, exemption="no contact"),
            )


def test_the_checks_fail_after_thirty_days_until_each_recipient_is_told_or_exempted(engine: Engine) -> None:
    case = erase_someone(engine)
    [hosting, payments] = sorted(case.recipients)
    soon, later = datetime.now(UTC) + timedelta(days=5), datetime.now(UTC) + timedelta(days=31)
    assert _checks(engine, soon) == {key: [] for key in CHECKS}  # within the 30 days
    assert _checks(engine, later) == {
        "erasure-recipients-notified": [hosting, payments],
        "erasure-contact-removed": [case.reference],
    }
    with session_factory(engine)() as session:
        record_recipient_notice(
            session=session,
            principal=MANAGER,
            request_id=case.request_id,
            entry=NoticeEntry(
                recipient_id=case.recipients[hosting], sent_at=datetime.now(UTC), channel="api"
            ),
        )
        record_recipient_notice(
            session=session,
            principal=MANAGER,
            request_id=case.request_id,
            entry=NoticeEntry(
                recipient_id=case.recipients[payments], exemption="the processor was wound up; no successor"
            ),
        )
        confirm_completion(session=session, principal=MANAGER, request_id=case.request_id, channel="email")
        session.commit()
    assert _checks(engine, later) == {key: [] for key in CHECKS}
