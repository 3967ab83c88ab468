"""messages.opt_out_event_id: the marketing opt-out in force on a message's channel when it was sent, and
messages.opt_out_timing: where the message falls against it (a violation or not), both kept current.

A message was sent under an opt-out when the person's latest marketing event on that channel before
sent_at, in the order (received_at, id) the preference flow also uses, is an opt-out. Reports of
messages sent after an opt-out then read only those messages (a handful, each a compliance failure)
instead of probing every person's messages once per opt-out, which took 0.3 s warm and 2-3 s with a
cold cache at a million people.

Kept on every write path: through the ORM, mapper events give a new message its value and refresh a person's
messages when one of their marketing events is added, updated (its suppression marked applied later) or
deleted (so no writer can forget); bulk loads, which
bypass the ORM, and the migration refresh every message of anyone who ever opted out. Only messages of people
with an opt-out can hold a value, so the rest never need a pass. Messages are never edited in place, and an
event only when its suppression is marked applied, so a message's timing changes only when the
opt-out in force or its suppression time changes, both of which refresh it.

The timing rule (docs/legal-rules.md, "Marketing opt-outs"): a promotional message sent once the legal
deadline has ended is a violation ("after legal limit"), whatever else; one sent after the suppression was
applied is a violation too ("after suppression applied"): the policy promises the opt-out works, and
once it was applied nothing but a fault can send another; one sent before both is within the legal
limit, late against our target but not unlawful.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, case, event, select, update
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.sql.expression import ColumnElement

from data_access.models import Message, PreferenceEvent
from data_access.models.enums import CommPurpose, MessageTiming, PreferenceStatus


def _in_force(person_id: Any, channel: Any, sent_at: Any) -> ColumnElement[int | None]:
    """The id of the opt-out in force (or NULL), for column expressions or values."""
    e = PreferenceEvent
    return (
        select(case((e.new_status == PreferenceStatus.OPTED_OUT, e.id), else_=None))
        .where(
            e.person_id == person_id,
            e.channel == channel,
            e.purpose == CommPurpose.MARKETING,
            e.received_at < sent_at,
        )
        .order_by(e.received_at.desc(), e.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _timing(sent_at: Any) -> ColumnElement[str]:
    """The timing of a message sent at `sent_at` against the opt-out selected with it (the rule above)."""
    e = PreferenceEvent
    return case(
        (e.honour_deadline_at <= sent_at, MessageTiming.AFTER_LEGAL_LIMIT.value),
        (e.honoured_at <= sent_at, MessageTiming.AFTER_SUPPRESSION.value),
        else_=MessageTiming.WITHIN_LIMIT.value,
    )


def refresh_opt_out_sends(session: Session | Connection, person_ids: Collection[int] | None = None) -> int:
    """Recompute both columns for these people's messages, or for everyone who ever opted out (after
    a bulk load); rows already right are not rewritten. Returns how many values changed (a message
    can change both)."""
    changed = refresh_opt_out_event_ids(session, person_ids)
    m = Message
    timing = select(_timing(m.sent_at)).where(PreferenceEvent.id == m.opt_out_event_id).scalar_subquery()
    result = session.execute(
        update(m)
        .where(_scope(person_ids), m.opt_out_timing.is_distinct_from(timing))
        .values(opt_out_timing=timing)
        .execution_options(synchronize_session=False)
    )
    return changed + int(result.rowcount)  # type: ignore[attr-defined]


def refresh_opt_out_event_ids(
    session: Session | Connection, person_ids: Collection[int] | None = None
) -> int:
    """messages.opt_out_event_id alone: what migration 0010 fills, before messages had a timing column."""
    m = Message
    value = _in_force(m.person_id, m.channel, m.sent_at)
    result = session.execute(
        update(m)
        .where(_scope(person_ids), m.opt_out_event_id.is_distinct_from(value))
        .values(opt_out_event_id=value)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _scope(person_ids: Collection[int] | None) -> ColumnElement[bool]:
    e = PreferenceEvent
    return (
        Message.person_id.in_(person_ids)
        if person_ids is not None
        else Message.person_id.in_(
            select(e.person_id).where(
                e.new_status == PreferenceStatus.OPTED_OUT, e.purpose == CommPurpose.MARKETING
            )
        )
    )


@event.listens_for(Message, "before_insert")
def _message_written(mapper: Mapper[Message], connection: Connection, message: Message) -> None:
    e = PreferenceEvent
    in_force = connection.execute(
        select(e.id, _timing(message.sent_at)).where(
            e.id == _in_force(message.person_id, message.channel, message.sent_at)
        )
    ).first()
    message.opt_out_event_id, message.opt_out_timing = (
        (in_force[0], MessageTiming(in_force[1])) if in_force else (None, None)
    )


@event.listens_for(PreferenceEvent, "after_insert")
@event.listens_for(PreferenceEvent, "after_update")
@event.listens_for(PreferenceEvent, "after_delete")
def _preference_event_written(
    mapper: Mapper[PreferenceEvent], connection: Connection, preference: PreferenceEvent
) -> None:
    if (
        preference.purpose == CommPurpose.MARKETING
    ):  # it may put the person's later messages under an opt-out, or not
        refresh_opt_out_sends(connection, [preference.person_id])
