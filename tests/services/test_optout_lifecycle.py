"""An opt-out recorded before its suppression was applied can be completed later (SQLite and PostgreSQL): the
overdue finding goes, the honour rollup counts it once, messages sent under it are re-timed, and it
is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.checks.policy_checks import check_results
from dashboard.services.optout_lifecycle import mark_suppression_applied
from dashboard.services.preferences import PreferenceChange, PreferenceInputError, record_preference_change
from data_access.models import AuditEntry, Message, OptOutHonourMonthly, PreferenceEvent
from data_access.models.enums import (
    Channel,
    CommPurpose,
    MessageKind,
    MessageTiming,
    PreferenceSource,
    PreferenceStatus,
    Role,
)
from data_access.optout_honour import rebuild_optout_honour
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
NOW = datetime.now(UTC).replace(microsecond=0)
RECEIVED = NOW - timedelta(days=40)  # every rule's deadline (at most 15 business days) has ended


def _pending_opt_out(session: Session) -> PreferenceEvent:
    person = make_person(session, country="US", region="NY")  # CAN-SPAM: 10 business days
    return record_preference_change(
        session=session,
        principal=MANAGER,
        change=PreferenceChange(
            person_id=person.id,
            channel=Channel.EMAIL,
            purpose=CommPurpose.MARKETING,
            new_status=PreferenceStatus.OPTED_OUT,
            source=PreferenceSource.PREFERENCE_FORM,
            received_at=RECEIVED,
        ),
    )


def _findings(session: Session) -> list[str]:
    [result] = check_results(session=session, now=NOW, tz="UTC", keys=("optouts-honoured",))
    return list(result.evidence["kind"])


def _rollup(session: Session) -> list[tuple[object, ...]]:
    h = OptOutHonourMonthly
    return [
        tuple(r)
        for r in session.execute(
            select(h.rule, h.outcome, h.minutes, h.opt_outs).where(h.opt_outs != 0).order_by(h.rule)
        )
    ]


def test_marking_an_overdue_opt_out_applied_clears_the_finding_and_counts_it_once(session: Session) -> None:
    opt_out = _pending_opt_out(session)
    session.commit()
    assert _findings(session) == ["opt-out applied late or not at all"]
    assert _rollup(session) == []
    mark_suppression_applied(
        session=session, principal=MANAGER, opt_out_id=opt_out.id, at=RECEIVED + timedelta(hours=2)
    )
    session.commit()
    assert _findings(session) == []
    assert _rollup(session) == [("can-spam", "on time", 120, 1)]
    rebuild_optout_honour(session)  # what a rebuild from the opt-outs says is what the write kept
    assert _rollup(session) == [("can-spam", "on time", 120, 1)]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "preference.honour")).all()
    assert [(a.actor, a.details["event_id"], a.details["outcome"]) for a in audit] == [
        ("manager", opt_out.id, "on time")
    ]


def test_marking_twice_at_the_same_time_changes_nothing_and_at_another_time_is_refused(
    session: Session,
) -> None:
    opt_out = _pending_opt_out(session)
    at = RECEIVED + timedelta(days=30)  # after the deadline: late
    mark_suppression_applied(session=session, principal=MANAGER, opt_out_id=opt_out.id, at=at)
    mark_suppression_applied(session=session, principal=MANAGER, opt_out_id=opt_out.id, at=at)
    session.commit()
    assert _rollup(session) == [("can-spam", "late", 30 * 24 * 60, 1)]
    assert (
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "preference.honour")
        )
        == 1
    )
    with pytest.raises(PreferenceInputError, match="already marked applied") as refused:
        mark_suppression_applied(
            session=session, principal=MANAGER, opt_out_id=opt_out.id, at=at + timedelta(hours=1)
        )
    assert refused.value.field == "honoured_at"


@pytest.mark.parametrize(
    ("offset", "message"),
    [(timedelta(minutes=-1), "before the opt-out was received"), (timedelta(days=41), "in the future")],
)
def test_a_time_before_receipt_or_in_the_future_is_refused(
    session: Session, offset: timedelta, message: str
) -> None:
    opt_out = _pending_opt_out(session)
    with pytest.raises(PreferenceInputError, match=message):
        mark_suppression_applied(
            session=session, principal=MANAGER, opt_out_id=opt_out.id, at=RECEIVED + offset
        )
    session.rollback()
    assert session.scalar(select(PreferenceEvent.honoured_at)) is None


def test_only_a_manager_may_mark_and_only_an_opt_out(session: Session) -> None:
    opt_out = _pending_opt_out(session)
    with pytest.raises(AccessDenied):
        mark_suppression_applied(
            session=session, principal=Principal("auditor", "A", Role.AUDITOR), opt_out_id=opt_out.id, at=NOW
        )
    with pytest.raises(PreferenceInputError, match="no opt-out with id") as refused:
        mark_suppression_applied(session=session, principal=MANAGER, opt_out_id=opt_out.id + 999, at=NOW)
    assert refused.value.field == "opt_out"


def test_messages_sent_under_the_opt_out_are_retimed_when_it_is_marked(session: Session) -> None:
    opt_out = _pending_opt_out(session)
    message = Message(
        person_id=opt_out.person_id,
        channel=Channel.EMAIL,
        kind=MessageKind.PROMOTIONAL,
        campaign="spring",
        sent_at=RECEIVED + timedelta(days=1),
    )
    session.add(message)
    session.commit()
    assert message.opt_out_timing == MessageTiming.WITHIN_LIMIT
    mark_suppression_applied(
        session=session, principal=MANAGER, opt_out_id=opt_out.id, at=RECEIVED + timedelta(hours=2)
    )
    session.commit()
    session.refresh(message)
    assert message.opt_out_timing == MessageTiming.AFTER_SUPPRESSION
