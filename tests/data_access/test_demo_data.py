"""The demo generator: counts, referential integrity, determinism and the planted violations."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.demo.generate import DatabaseNotEmpty, load_demo
from data_access.db import session_factory
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    BusinessTransferPerson,
    Contact,
    Message,
    Person,
    PolicyNotification,
    PreferenceEvent,
    Recipient,
    SharingRecord,
    StaffAccount,
    SubjectRequest,
)
from data_access.models.enums import OPEN_REQUEST_STATUSES, RequestStatus
from data_access.sql import utc_day
from tests.conftest import DEMO_END, truncate_all

USERS = 300


def _count(session: Session, stmt) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(stmt) or 0)


@pytest.fixture
def demo(engine: Engine) -> Session:
    load_demo(engine, users=USERS, days=120, seed=11, end=DEMO_END)
    return session_factory(engine)()


def test_demo_fills_every_area_in_proportion(demo: Session) -> None:
    assert _count(demo, select(func.count()).select_from(Person)) == USERS
    assert _count(demo, select(func.count()).select_from(Contact)) == USERS
    lines = _count(demo, select(func.count()).select_from(AccessLogEntry))
    assert 10 * USERS <= lines <= 40 * USERS
    assert _count(demo, select(func.count()).select_from(ActivityDaily)) > 0
    assert _count(demo, select(func.count()).select_from(StaffAccount)) == 4


def test_every_request_status_is_present_including_overdue_ones(demo: Session) -> None:
    statuses = set(demo.scalars(select(SubjectRequest.status).distinct()))
    assert {
        RequestStatus.RECEIVED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.COMPLETED,
        RequestStatus.REJECTED,
    } <= statuses
    overdue = select(func.count()).where(
        SubjectRequest.status.in_(OPEN_REQUEST_STATUSES), SubjectRequest.due_date < DEMO_END.date()
    )
    assert _count(demo, overdue) >= 1


def test_planted_phone_number_sharing_record_is_present(demo: Session) -> None:
    records = demo.execute(select(SharingRecord.categories, Recipient.role).join(Recipient)).all()
    with_phone = [r for r in records if "user.contact.phone_number" in r.categories]
    assert len(with_phone) == 1
    assert {role for _, role in records} - {"hosting", "technology_platform"} == {
        "analytics"
    }  # planted trial


def test_planted_late_opt_outs_and_post_opt_out_messages_are_present(demo: Session) -> None:
    late = select(func.count()).where(
        PreferenceEvent.honoured_at.is_not(None),
        utc_day(PreferenceEvent.honoured_at) > PreferenceEvent.honour_by,
    )
    assert _count(demo, late) >= 1
    winback = select(func.count()).where(Message.campaign == "winback-campaign")
    assert _count(demo, winback) >= 1


def test_planted_missing_notifications_are_present(demo: Session) -> None:
    unnotified = select(func.count()).where(BusinessTransferPerson.notified_at.is_(None))
    assert _count(demo, unnotified) >= 1
    notified = _count(demo, select(func.count()).select_from(PolicyNotification))
    assert 0 < notified < USERS


def test_demo_is_deterministic_for_a_seed(engine: Engine) -> None:
    load_demo(engine, users=50, days=60, seed=3, end=DEMO_END)
    with session_factory(engine)() as session:
        first = session.execute(select(Contact.email).order_by(Contact.person_id)).scalars().all()
    truncate_all(engine)
    load_demo(engine, users=50, days=60, seed=3, end=DEMO_END)
    with session_factory(engine)() as session:
        assert session.execute(select(Contact.email).order_by(Contact.person_id)).scalars().all() == first


def test_demo_refuses_a_database_that_already_holds_people(engine: Engine) -> None:
    load_demo(engine, users=20, days=30, seed=1, end=DEMO_END)
    with pytest.raises(DatabaseNotEmpty):
        load_demo(engine, users=20, days=30, seed=1, end=DEMO_END)
