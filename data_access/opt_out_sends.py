"""messages.opt_out_event_id: the marketing opt-out in force on a message's channel when it was sent, kept current.

A message was sent under an opt-out when the person's latest marketing event on that channel before sent_at, in
the order (received_at, id) the preference flow also uses, is an opt-out. Reports of messages sent after an
opt-out then read only those messages (a handful, each a compliance failure) instead of probing every person's
messages once per opt-out, which took 0.3 s warm and 2-3 s with a cold cache at a million people.

Kept on every write path: through the ORM, mapper events give a new message its value and refresh a person's
messages when one of their marketing events is added or deleted (so no writer can forget); bulk loads, which
bypass the ORM, and the migration refresh every message of anyone who ever opted out. Only messages of people
with an opt-out can hold a value, so the rest never need a pass. Messages and events are never edited in place.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, case, event, select, update
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.sql.expression import ColumnElement

from data_access.models import Message, PreferenceEvent
from data_access.models.enums import CommPurpose, PreferenceStatus


def _in_force(person_id: Any, channel: Any, sent_at: Any) -> ColumnElement[int | None]:
    """The id of the opt-out in force (or NULL), for column expressions or values."""
    e = PreferenceEvent
    return (select(case((e.new_status == PreferenceStatus.OPTED_OUT, e.id), else_=None))
            .where(e.person_id == person_id, e.channel == channel, e.purpose == CommPurpose.MARKETING,
                   e.received_at < sent_at)
            .order_by(e.received_at.desc(), e.id.desc()).limit(1).scalar_subquery())


def refresh_opt_out_sends(session: Session | Connection, person_ids: Collection[int] | None = None) -> int:
    """Recompute the column for these people's messages, or for everyone who ever opted out (after a bulk load);
    rows already right are not rewritten. Returns how many changed."""
    m, e = Message, PreferenceEvent
    value = _in_force(m.person_id, m.channel, m.sent_at)
    scope = (m.person_id.in_(person_ids) if person_ids is not None
             else m.person_id.in_(select(e.person_id).where(e.new_status == PreferenceStatus.OPTED_OUT,
                                                            e.purpose == CommPurpose.MARKETING)))
    result = session.execute(update(m).where(scope, m.opt_out_event_id.is_distinct_from(value))
                             .values(opt_out_event_id=value).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


@event.listens_for(Message, "before_insert")
def _message_written(mapper: Mapper[Message], connection: Connection, message: Message) -> None:
    message.opt_out_event_id = connection.scalar(select(_in_force(message.person_id, message.channel,
                                                                  message.sent_at)))


@event.listens_for(PreferenceEvent, "after_insert")
@event.listens_for(PreferenceEvent, "after_delete")
def _preference_event_written(mapper: Mapper[PreferenceEvent], connection: Connection,
                              preference: PreferenceEvent) -> None:
    if preference.purpose == CommPurpose.MARKETING:  # it may put the person's later messages under an opt-out, or not
        refresh_opt_out_sends(connection, [preference.person_id])
