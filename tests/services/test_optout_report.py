"""The opt-out report on SQLite and PostgreSQL: planted violations found, a clean dataset clean,
rates equal to a direct SQL count of each person's latest event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.demo.generate import load_demo
from dashboard.rules.deadlines import DeadlineError
from dashboard.services.optout_report import build_optout_report, parse_month, trailing_period
from dashboard.services.preferences import PreferenceChange, record_preference_change
from data_access.db import session_factory
from data_access.models import Message, PreferenceEvent
from data_access.models.enums import (
    Channel,
    CommPurpose,
    MessageKind,
    PreferenceSource,
    PreferenceStatus,
    Role,
)
from tests.conftest import DEMO_END
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
FIRST, LAST = date(2024, 1, 1), date(2026, 11, 1)  # all of the demo's history


@pytest.fixture
def demo(engine: Engine) -> Engine:
    load_demo(engine, users=400, days=180, seed=11, end=DEMO_END)
    return engine


def test_every_planted_violation_of_the_demo_is_reported(demo: Engine) -> None:
    with session_factory(demo)() as session:
        report = build_optout_report(session=session, first=FIRST, last=LAST, now=DEMO_END)
        expected = _violations_by_brute_force(session)
        winback = set(session.scalars(select(Message.id).where(Message.campaign == "winback-campaign")))
    found = set(report.violations["message_id"])
    assert winback and winback <= found  # every win-back email went out after the opt-out took effect
    assert found == expected
    assert (report.violations["timing"] == "after legal limit").any()
    late = report.violations[report.violations["timing"] == "after legal limit"]
    assert (late["days_late"] > 0).all()


def test_the_page_lists_the_newest_violations_and_counts_them_all(demo: Engine) -> None:
    with session_factory(demo)() as session:
        report = build_optout_report(session=session, first=FIRST, last=LAST, now=DEMO_END, listed=1)
        expected = _violations_by_brute_force(session)
        newest = session.scalars(
            select(Message.id)
            .where(Message.id.in_(expected))
            .order_by(Message.sent_at.desc(), Message.id.desc())
            .limit(1)
        ).all()
    assert len(expected) > 1 and report.violation_count == len(expected) and report.violations_cut
    assert list(report.violations["message_id"]) == list(newest)
    assert int(report.violation_counts["people"].sum()) >= len(set(report.violations["person_id"]))


def test_every_opt_out_suppressed_after_its_deadline_is_listed(demo: Engine) -> None:
    with session_factory(demo)() as session:
        report = build_optout_report(session=session, first=FIRST, last=LAST, now=DEMO_END)
        events = session.scalars(
            select(PreferenceEvent).where(PreferenceEvent.new_status == PreferenceStatus.OPTED_OUT)
        ).all()
    expected = {
        e.id
        for e in events
        if e.honour_deadline_at is not None
        and (
            (e.honoured_at is not None and e.honoured_at >= e.honour_deadline_at)
            or (e.honoured_at is None and e.honour_deadline_at <= DEMO_END)
        )
    }
    assert expected and set(report.late_opt_outs["id"]) == expected
    assert int(report.honour_by_rule[["late", "overdue"]].to_numpy().sum()) == len(expected)


def test_a_clean_dataset_shows_no_violation_and_everything_on_time(session: Session) -> None:
    start = datetime(2026, 9, 1, 9, tzinfo=UTC)
    for n in range(3):
        person = make_person(session, country="US", region="NY")
        _change(session, person.id, PreferenceStatus.OPTED_IN, start - timedelta(days=60))
        _message(session, person.id, MessageKind.PROMOTIONAL, start - timedelta(days=5))  # before the opt-out
        received = start + timedelta(days=n)
        _change(
            session, person.id, PreferenceStatus.OPTED_OUT, received, honoured=received + timedelta(hours=3)
        )
        _message(session, person.id, MessageKind.TRANSACTIONAL, received + timedelta(days=2))  # an invoice
        if n == 2:  # opted back in, then mailed again: lawful
            _change(session, person.id, PreferenceStatus.OPTED_IN, received + timedelta(days=10))
            _message(session, person.id, MessageKind.PROMOTIONAL, received + timedelta(days=20))
    session.commit()
    report = build_optout_report(
        session=session, first=date(2026, 7, 1), last=date(2026, 10, 1), now=datetime(2026, 11, 1, tzinfo=UTC)
    )
    assert report.violations.empty and report.message_counts.empty and report.late_opt_outs.empty
    assert report.honour_by_rule.to_dict(orient="records") == [
        {
            "optout_rule": "can-spam",
            "basis": "law",
            "on_time": 3,
            "late": 0,
            "overdue": 0,
            "pending": 0,
            "share_on_time": 1.0,
        }
    ]
    assert report.median_honour_hours == pytest.approx(3.0)
    september = report.rates[report.rates["month"] == "2026-09"].iloc[0]
    # three opted out in September and one of them opted back in on 13 September
    assert (september["opted_out"], september["opted_in"], september["new_opt_outs"]) == (2, 1, 3)
    assert september["opt_out_flow"] == 1.0  # all three opted in at the start of September opted out


def test_a_promotional_message_after_suppression_is_a_violation(session: Session) -> None:
    person = make_person(session)
    received = datetime(2026, 9, 1, 9, tzinfo=UTC)
    _change(session, person.id, PreferenceStatus.OPTED_OUT, received, honoured=received + timedelta(hours=1))
    _message(session, person.id, MessageKind.PROMOTIONAL, received + timedelta(days=2))
    session.commit()
    report = build_optout_report(
        session=session, first=date(2026, 9, 1), last=date(2026, 9, 1), now=datetime(2026, 11, 1, tzinfo=UTC)
    )
    assert report.violations[["timing", "days_late"]].to_dict(orient="records") == [
        {"timing": "after suppression applied", "days_late": 0}
    ]


@pytest.mark.parametrize("month", ["2026-08", "2026-10"])
def test_rates_equal_a_direct_sql_count_of_each_persons_latest_event(demo: Engine, month: str) -> None:
    first = parse_month(month)
    month_end = datetime(first.year, first.month + 1, 1, tzinfo=UTC)
    with session_factory(demo)() as session:
        report = build_optout_report(session=session, first=first, last=first, now=DEMO_END)
        direct = session.execute(
            text("""
            SELECT e.channel, e.new_status, COUNT(*) FROM preference_events e
            WHERE e.purpose = 'marketing' AND e.received_at < :end AND NOT EXISTS (
                SELECT 1 FROM preference_events l WHERE l.person_id = e.person_id AND l.channel = e.channel
                AND l.purpose = e.purpose AND l.received_at < :end
                AND (l.received_at > e.received_at OR (l.received_at = e.received_at AND l.id > e.id)))
            GROUP BY e.channel, e.new_status"""),
            {"end": month_end.replace(tzinfo=None) if demo.dialect.name == "sqlite" else month_end},
        ).all()
    counts = {(channel, status): n for channel, status, n in direct}
    for row in report.rates.to_dict(orient="records"):
        assert row["opted_out"] == counts.get((row["channel"], "opted_out"), 0)
        assert row["opted_in"] == counts.get((row["channel"], "opted_in"), 0)
        assert row["opt_out_rate"] == pytest.approx(row["opted_out"] / (row["opted_out"] + row["opted_in"]))


def test_the_latest_month_matches_the_current_state_table(demo: Engine) -> None:
    with session_factory(demo)() as session:
        report = build_optout_report(
            session=session, first=date(2026, 11, 1), last=date(2026, 11, 1), now=DEMO_END
        )
        state = session.execute(
            text(
                "SELECT channel, status, COUNT(*) FROM comm_preferences "
                "WHERE purpose = 'marketing' GROUP BY channel, status"
            )
        ).all()
    counts = {(channel, status): n for channel, status, n in state}
    for row in report.rates.to_dict(orient="records"):
        assert (row["opted_out"], row["opted_in"]) == (
            counts[(row["channel"], "opted_out")],
            counts[(row["channel"], "opted_in")],
        )


def test_months_are_parsed_strictly_and_periods_end_with_the_current_month() -> None:
    with pytest.raises(DeadlineError) as error:
        parse_month("2026-13")
    assert error.value.field == "month"
    period = trailing_period(date(2026, 2, 14), 3)
    assert period.months == ["2025-12", "2026-01", "2026-02"]
    assert period.until == datetime(2026, 3, 1, tzinfo=UTC)


def _violations_by_brute_force(session: Session) -> set[int]:
    """Replay each person's events in Python: a promotional message after the latest marketing event
    on its channel was an opt-out whose suppression had been applied or whose deadline had ended."""
    events = session.scalars(
        select(PreferenceEvent).where(PreferenceEvent.purpose == CommPurpose.MARKETING)
    ).all()
    found = set()
    for message in session.scalars(select(Message).where(Message.kind == MessageKind.PROMOTIONAL)):
        before = [
            e
            for e in events
            if e.person_id == message.person_id
            and e.channel == message.channel
            and e.received_at < message.sent_at
        ]
        if not before:
            continue
        latest = max(before, key=lambda e: (e.received_at, e.id))
        if latest.new_status != PreferenceStatus.OPTED_OUT or latest.honour_deadline_at is None:
            continue
        if message.sent_at >= latest.honour_deadline_at or (
            latest.honoured_at and message.sent_at >= latest.honoured_at
        ):
            found.add(message.id)
    return found


def _change(
    session: Session, person_id: int, status: PreferenceStatus, at: datetime, honoured: datetime | None = None
) -> None:
    source = (
        PreferenceSource.UNSUBSCRIBE_LINK if status == PreferenceStatus.OPTED_OUT else PreferenceSource.SIGNUP
    )
    record_preference_change(
        session=session,
        principal=MANAGER,
        audit=False,
        change=PreferenceChange(
            person_id=person_id,
            channel=Channel.EMAIL,
            purpose=CommPurpose.MARKETING,
            new_status=status,
            source=source,
            received_at=at,
            honoured_at=honoured,
        ),
    )


def _message(session: Session, person_id: int, kind: MessageKind, at: datetime) -> None:
    session.add(
        Message(person_id=person_id, channel=Channel.EMAIL, kind=kind, campaign="newsletter", sent_at=at)
    )
    session.flush()


def test_messages_after_an_opt_out_without_contacts_are_the_same_messages(demo: Engine) -> None:
    """The checks ask for no contact details (one page fewer per message read cold); nothing else changes."""
    from data_access.queries.optouts import messages_after_opt_out

    since, until = datetime(2024, 1, 1, tzinfo=UTC), DEMO_END
    with session_factory(demo)() as session:
        full = messages_after_opt_out(session=session, since=since, until=until)
        bare = messages_after_opt_out(session=session, since=since, until=until, contacts=False)
    assert not full.empty and {"email", "phone"} <= set(full.columns)
    assert bare.equals(full.drop(columns=["email", "phone"]))
