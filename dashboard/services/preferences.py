"""Recording an opt-in or opt-out: history, current state and the legal deadline, in one place.

Used by the opt-out form, suppression-list imports and subject-request fulfilment alike. An opt-out recorded
before its suppression was applied is completed later by `mark_suppression_applied` (page, import, CLI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings, optout_deadline, rule_for_channel
from dashboard.rules.field_error import FieldError
from dashboard.rules.regimes import regime_for
from data_access import preferences_repo
from data_access.models import CommunicationPreference, Person, PreferenceEvent
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus
from data_access.preference_flow import add_preference_event
from data_access.queries.people import person_by_id


class PreferenceInputError(FieldError):
    """A preference change that cannot be recorded as given."""


@dataclass(frozen=True)
class PreferenceChange:
    person_id: int
    channel: Channel
    purpose: CommPurpose
    new_status: PreferenceStatus
    source: PreferenceSource
    received_at: datetime
    honoured_at: datetime | None = None


def already_recorded(session: Session, change: PreferenceChange) -> bool:
    """Is this change (person, channel, purpose, status, instant received) in the history already? Compared by
    meaning, not by an import's key: the same opt-out from a suppression list, a preferences file or written
    with another UTC offset is one event."""
    return recorded_event(session, change) is not None


def recorded_event(session: Session, change: PreferenceChange) -> PreferenceEvent | None:
    """The stored event that is this change (as `already_recorded` compares), if any."""
    return preferences_repo.matching_event(
        session, change.person_id, change.received_at, change.channel, change.purpose, change.new_status
    )


def record_preference_change(
    *,
    session: Session,
    principal: Principal,
    change: PreferenceChange,
    audit: bool = True,
    batch_id: int | None = None,
    natural_key: str | None = None,
) -> PreferenceEvent:
    """Write the history event (with its deadline for opt-outs) and the current state; flush only."""
    require(principal.role, "optout.record")
    person, rule, honour_by, honour_deadline_at = check_preference_change(session, change)
    event = PreferenceEvent(
        person_id=person.id,
        channel=change.channel,
        purpose=change.purpose,
        new_status=change.new_status,
        source=change.source,
        received_at=change.received_at,
        rule=rule,
        honour_by=honour_by,
        honour_deadline_at=honour_deadline_at,
        honoured_at=change.honoured_at,
        recorded_by=principal.username,
        batch_id=batch_id,
        natural_key=natural_key,
    )
    preferences_repo.add_event(session, event, _set_state(session, change))
    add_preference_event(session, event)
    if audit:
        record(
            session=session,
            actor=principal.username,
            role=principal.role,
            action="preference.record",
            object_type="person",
            object_id=person.id,
            details={
                "event_id": event.id,
                "channel": change.channel.value,
                "purpose": change.purpose.value,
                "status": change.new_status.value,
                "rule": rule,
                "honour_by": honour_by.isoformat() if honour_by else None,
            },
        )
    return event


def check_preference_change(
    session: Session, change: PreferenceChange
) -> tuple[Person, str | None, date | None, datetime | None]:
    """Everything record_preference_change checks and works out before it writes, without writing (an import's
    dry run reads only): (person, rule, honour-by date, end of the honour period);
    PreferenceInputError if refused."""
    person = person_by_id(session, change.person_id)
    if person is None:
        raise PreferenceInputError("person_id", f"no person with id {change.person_id}")
    if change.honoured_at is not None and change.honoured_at < change.received_at:
        raise PreferenceInputError(
            "honoured_at", "suppression cannot be applied before the opt-out was received"
        )
    if change.new_status != PreferenceStatus.OPTED_OUT:
        return person, None, None, None
    channel = "all" if change.purpose == CommPurpose.SALE_SHARING else change.channel.value
    rule = (
        "gpc"
        if change.source == PreferenceSource.GPC
        else rule_for_channel(channel, regime_for(person.country, person.region))
    )
    deadline = optout_deadline(rule, change.received_at, settings=deadline_settings())
    return person, rule, deadline.honour_by, deadline.ends_at


def _set_state(session: Session, change: PreferenceChange) -> CommunicationPreference | None:
    """Bring the person's current state up to the change; the new state row to store where there was none."""
    state = preferences_repo.current_state(session, change.person_id, change.channel, change.purpose)
    if state is None:
        return CommunicationPreference(
            person_id=change.person_id,
            channel=change.channel,
            purpose=change.purpose,
            status=change.new_status,
            updated_at=change.received_at,
        )
    if change.received_at >= state.updated_at:  # an older event imported late does not undo a newer one
        state.status, state.updated_at = change.new_status, change.received_at
    return None
