"""Property (SQLite and PostgreSQL): whatever order preference changes and messages are written in, times tied
or not, the messages the opt-out report lists as sent after an opt-out are exactly those whose person's latest
marketing event on that channel before sending, in (received_at, id) order, was an opt-out, each
with the timing the rule gives it against that opt-out; the counts by timing agree; and a full
refresh finds nothing the writers left wrong."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.kinds import MESSAGES
from dashboard.services.preferences import PreferenceChange, record_preference_change
from data_access.db import session_factory, transaction
from data_access.models import Message, PreferenceEvent
from data_access.models.enums import (
    Channel,
    CommPurpose,
    MessageKind,
    MessageTiming,
    PreferenceSource,
    PreferenceStatus,
    Role,
)
from data_access.opt_out_sends import refresh_opt_out_sends
from data_access.queries.optouts import messages_after_opt_out, opt_out_message_counts
from tests.conftest import truncate_all
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
START = datetime(2026, 3, 1, tzinfo=UTC)
AT = st.integers(0, 40).map(lambda h: START + timedelta(hours=h * 6))  # coarse, so times often tie
CHANNEL = st.sampled_from([Channel.EMAIL, Channel.SMS])
EVENT = st.tuples(
    st.just("event"),
    st.integers(0, 1),
    CHANNEL,
    st.sampled_from(list(CommPurpose)),
    st.sampled_from([PreferenceStatus.OPTED_IN, PreferenceStatus.OPTED_OUT]),
    AT,
    st.one_of(st.none(), st.integers(0, 12).map(lambda h: timedelta(hours=h * 6))),
)  # to suppression
MESSAGE = st.tuples(st.just("message"), st.integers(0, 1), CHANNEL, st.sampled_from(list(MessageKind)), AT)


def _timing(sent_at: datetime, opt_out: PreferenceEvent) -> str:
    """The rule of docs/legal-rules.md, "Marketing opt-outs", written out independently of the SQL
    that stores it."""
    assert opt_out.honour_deadline_at is not None
    if sent_at >= opt_out.honour_deadline_at:
        return MessageTiming.AFTER_LEGAL_LIMIT.value
    if opt_out.honoured_at is not None and sent_at >= opt_out.honoured_at:
        return MessageTiming.AFTER_SUPPRESSION.value
    return MessageTiming.WITHIN_LIMIT.value


def _expected(engine: Engine, since: datetime, until: datetime) -> set[tuple[int, int, str]]:
    """(message id, opt-out id, timing) by replaying the history in Python: the definition, independent of the
    SQL."""
    with session_factory(engine)() as session:
        events = (
            session.execute(select(PreferenceEvent).where(PreferenceEvent.purpose == CommPurpose.MARKETING))
            .scalars()
            .all()
        )
        messages = session.execute(select(Message)).scalars().all()
        found = set()
        for message in messages:
            if message.kind != MessageKind.PROMOTIONAL or not since <= message.sent_at < until:
                continue
            before = [
                e
                for e in events
                if e.person_id == message.person_id
                and e.channel == message.channel
                and e.received_at < message.sent_at
            ]
            latest = max(before, key=lambda e: (e.received_at, e.id), default=None)
            if latest is not None and latest.new_status == PreferenceStatus.OPTED_OUT:
                found.add((message.id, latest.id, _timing(message.sent_at, latest)))
        return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.one_of(EVENT, MESSAGE), min_size=1, max_size=20), since_hours=st.integers(0, 240))
def test_listed_messages_are_those_sent_under_an_opt_out_whatever_the_write_order(
    engine: Engine, actions: list[tuple[object, ...]], since_hours: int
) -> None:
    truncate_all(engine)
    with transaction(engine) as session:
        people = [make_person(session).id for _ in range(2)]
        for number, action in enumerate(actions):  # in the order drawn, not in time order
            if action[0] == "event":
                _, who, channel, purpose, status, at, to_suppression = action
                honoured = (
                    None
                    if to_suppression is None or status != PreferenceStatus.OPTED_OUT
                    else at + to_suppression
                )  # type: ignore[operator]
                record_preference_change(
                    session=session,
                    principal=MANAGER,
                    audit=False,
                    change=PreferenceChange(
                        person_id=people[who],
                        channel=channel,
                        purpose=purpose,
                        new_status=status,  # type: ignore[arg-type]
                        source=PreferenceSource.PREFERENCE_FORM,
                        received_at=at,
                        honoured_at=honoured,
                    ),
                )  # type: ignore[arg-type]
            else:
                _, who, channel, kind, at = action
                MESSAGES.write(
                    session,
                    MANAGER,
                    {
                        "user": people[who],
                        "channel": channel.value,  # type: ignore[attr-defined]
                        "kind": kind.value,
                        "campaign": None,
                        "sent_at": at,
                    },  # type: ignore[attr-defined]
                    f"m{number}",
                    None,
                )
    since = START + timedelta(hours=since_hours)
    until = START + timedelta(days=20)
    with session_factory(engine)() as session:
        listed = messages_after_opt_out(session=session, since=since, until=until)
        expected = _expected(engine, since, until)
        assert (
            set(
                zip(
                    listed["message_id"].astype(int),
                    listed["opt_out_id"].astype(int),
                    listed["timing"],
                    strict=True,
                )
            )
            == expected
        )
        counts = opt_out_message_counts(session=session, since=since, until=until)
        assert dict(counts.groupby("timing")["messages"].sum()) == dict(Counter(t for _, _, t in expected))
        assert refresh_opt_out_sends(session) == 0  # the writers left nothing for a full pass to correct
        assert (
            session.scalar(
                select(func.count()).where(  # ... nor a timing for a message under no opt-out
                    Message.opt_out_event_id.is_(None), Message.opt_out_timing.is_not(None)
                )
            )
            == 0
        )


def test_each_message_gets_the_timing_of_the_rule_at_its_boundaries(session: Session) -> None:
    """At the instant of suppression the message is a violation; at the end of the deadline it is
    past the legal limit, whatever the suppression; before both it is within the limit. Messages
    written before the opt-out (refreshed when it is written) and after it (given theirs as they are
    written) alike."""
    person = make_person(session)
    received = datetime(2026, 3, 2, 9, tzinfo=UTC)
    honoured, deadline = received + timedelta(hours=2), received + timedelta(days=10)
    written_first = [received + timedelta(hours=1), honoured]
    written_after = [deadline - timedelta(seconds=1), deadline]

    def send(at: datetime) -> Message:
        message = Message(
            person_id=person.id, channel=Channel.EMAIL, kind=MessageKind.PROMOTIONAL, sent_at=at
        )
        session.add(message)
        session.flush()
        return message

    early = [send(at) for at in written_first]
    session.add(
        PreferenceEvent(
            person_id=person.id,
            channel=Channel.EMAIL,
            purpose=CommPurpose.MARKETING,
            new_status=PreferenceStatus.OPTED_OUT,
            source=PreferenceSource.PREFERENCE_FORM,
            received_at=received,
            honour_deadline_at=deadline,
            honoured_at=honoured,
            recorded_by="test",
        )
    )
    session.flush()
    late = [send(at) for at in written_after]
    for message in early:
        session.refresh(message)

    assert [m.opt_out_timing for m in early + late] == [
        MessageTiming.WITHIN_LIMIT,
        MessageTiming.AFTER_SUPPRESSION,
        MessageTiming.AFTER_SUPPRESSION,
        MessageTiming.AFTER_LEGAL_LIMIT,
    ]
