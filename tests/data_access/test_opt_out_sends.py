"""Property (SQLite and PostgreSQL): whatever order preference changes and messages are written in, times tied
or not, the messages the opt-out report lists as sent after an opt-out are exactly those whose person's latest
marketing event on that channel before sending, in (received_at, id) order, was an opt-out; and a full refresh
finds nothing the writers left wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from dashboard.auth.service import Principal
from dashboard.imports.kinds import MESSAGES
from dashboard.services.preferences import PreferenceChange, record_preference_change
from data_access.db import session_factory, transaction
from data_access.models import Message, PreferenceEvent
from data_access.models.enums import (
    Channel,
    CommPurpose,
    MessageKind,
    PreferenceSource,
    PreferenceStatus,
    Role,
)
from data_access.opt_out_sends import refresh_opt_out_sends
from data_access.queries.optouts import messages_after_opt_out
from tests.conftest import truncate_all
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
START = datetime(2026, 3, 1, tzinfo=UTC)
AT = st.integers(0, 40).map(lambda h: START + timedelta(hours=h * 6))  # coarse, so times often tie
CHANNEL = st.sampled_from([Channel.EMAIL, Channel.SMS])
EVENT = st.tuples(st.just("event"), st.integers(0, 1), CHANNEL, st.sampled_from(list(CommPurpose)),
                  st.sampled_from([PreferenceStatus.OPTED_IN, PreferenceStatus.OPTED_OUT]), AT)
MESSAGE = st.tuples(st.just("message"), st.integers(0, 1), CHANNEL, st.sampled_from(list(MessageKind)), AT)


def _expected(engine: Engine, since: datetime, until: datetime) -> set[tuple[int, int]]:
    """(message id, opt-out id) by replaying the history in Python: the definition, independent of the SQL."""
    with session_factory(engine)() as session:
        events = session.execute(select(PreferenceEvent).where(
            PreferenceEvent.purpose == CommPurpose.MARKETING)).scalars().all()
        messages = session.execute(select(Message)).scalars().all()
        found = set()
        for message in messages:
            if message.kind != MessageKind.PROMOTIONAL or not since <= message.sent_at < until:
                continue
            before = [e for e in events if e.person_id == message.person_id and e.channel == message.channel
                      and e.received_at < message.sent_at]
            latest = max(before, key=lambda e: (e.received_at, e.id), default=None)
            if latest is not None and latest.new_status == PreferenceStatus.OPTED_OUT:
                found.add((message.id, latest.id))
        return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.one_of(EVENT, MESSAGE), min_size=1, max_size=20), since_hours=st.integers(0, 240))
def test_listed_messages_are_those_sent_under_an_opt_out_whatever_the_write_order(
        engine: Engine, actions: list[tuple[object, ...]], since_hours: int) -> None:
    truncate_all(engine)
    with transaction(engine) as session:
        people = [make_person(session).id for _ in range(2)]
        for number, action in enumerate(actions):  # in the order drawn, not in time order
            if action[0] == "event":
                _, who, channel, purpose, status, at = action
                record_preference_change(session=session, principal=MANAGER, audit=False, change=PreferenceChange(
                    person_id=people[who], channel=channel, purpose=purpose, new_status=status,  # type: ignore[arg-type]
                    source=PreferenceSource.PREFERENCE_FORM, received_at=at))  # type: ignore[arg-type]
            else:
                _, who, channel, kind, at = action
                MESSAGES.write(session, MANAGER, {"user": people[who], "channel": channel.value,  # type: ignore[attr-defined]
                                                  "kind": kind.value, "campaign": None, "sent_at": at},  # type: ignore[attr-defined]
                               f"m{number}", None)
    since = START + timedelta(hours=since_hours)
    until = START + timedelta(days=20)
    with session_factory(engine)() as session:
        listed = messages_after_opt_out(session=session, since=since, until=until)
        assert {(int(m), int(e)) for m, e in zip(listed["message_id"], listed["opt_out_id"], strict=True)} \
            == _expected(engine, since, until)
        assert refresh_opt_out_sends(session) == 0  # the writers left nothing for a full pass to correct
