"""Completing an opt-out: the suppression applied after the opt-out was recorded.

An opt-out recorded before its suppression was applied is pending, then overdue once its deadline ends, and a
policy finding until this is recorded. Marking it writes the honour time and the deadline recomputed
by the one rule (docs/legal-rules.md, "Marketing opt-outs"); the mapper events on preference events
then move it in the honour rollup and refresh the timing of the messages sent under it
(data_access.optout_honour, data_access.opt_out_sends). Used by the Communications page, the
suppression-list import and the CLI.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings, optout_deadline
from dashboard.services.preferences import PreferenceInputError
from data_access.models import PreferenceEvent
from data_access.models.enums import PreferenceStatus
from data_access.optout_honour import honour_key
from data_access.preferences_repo import event_by_id
from data_access.rows import set_values
from data_access.types import utcnow


def mark_suppression_applied(
    *,
    session: Session,
    principal: Principal,
    opt_out_id: int,
    at: datetime,
    audit: bool = True,
    now: datetime | None = None,
) -> PreferenceEvent:
    """Record when the suppression of opt-out `opt_out_id` was applied; flush only. Marking it again at the
    same instant changes nothing (idempotent); at another instant it is refused: the first record stands."""
    require(principal.role, "optout.record")
    event = event_by_id(session, opt_out_id)
    if event is None or event.new_status != PreferenceStatus.OPTED_OUT or event.rule is None:
        raise PreferenceInputError("opt_out", f"no opt-out with id {opt_out_id}")
    if at.tzinfo is None:
        raise PreferenceInputError("honoured_at", "the time the suppression was applied needs a time zone")
    if event.honoured_at is not None:
        if event.honoured_at == at:
            return event
        raise PreferenceInputError(
            "honoured_at",
            f"opt-out {opt_out_id} was already marked applied at {event.honoured_at.isoformat()}",
        )
    if at < event.received_at:
        raise PreferenceInputError(
            "honoured_at",
            "the suppression cannot be applied before the opt-out was "
            f"received ({event.received_at.isoformat()})",
        )
    if at > (now or utcnow()):
        raise PreferenceInputError("honoured_at", "the time the suppression was applied is in the future")
    deadline = optout_deadline(event.rule, event.received_at, settings=deadline_settings())
    set_values(
        session,
        event,
        {"honour_by": deadline.honour_by, "honour_deadline_at": deadline.ends_at, "honoured_at": at},
    )
    if audit:
        key = honour_key(event.received_at, at, deadline.ends_at, event.rule, event.channel.value)
        record(
            session=session,
            actor=principal.username,
            role=principal.role,
            action="preference.honour",
            object_type="person",
            object_id=event.person_id,
            details={
                "event_id": event.id,
                "honoured_at": at.isoformat(),
                "honour_by": deadline.honour_by.isoformat(),
                "outcome": key[3] if key else None,
            },
        )
    return event
