"""The statements of opt-in and opt-out recording (the rules: dashboard.services.preferences); the
caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import CommunicationPreference, PreferenceEvent
from data_access.models.enums import Channel, CommPurpose, PreferenceStatus


def matching_event(
    session: Session,
    person_id: int,
    received_at: datetime,
    channel: Channel,
    purpose: CommPurpose,
    new_status: PreferenceStatus,
) -> PreferenceEvent | None:
    """The first stored event with this person, instant received, channel, purpose and status."""
    e = PreferenceEvent
    return session.scalar(
        select(e)
        .where(
            e.person_id == person_id,
            e.received_at == received_at,
            e.channel == channel,
            e.purpose == purpose,
            e.new_status == new_status,
        )
        .order_by(e.id)
        .limit(1)
    )


def current_state(
    session: Session, person_id: int, channel: Channel, purpose: CommPurpose
) -> CommunicationPreference | None:
    return session.scalar(
        select(CommunicationPreference).where(
            CommunicationPreference.person_id == person_id,
            CommunicationPreference.channel == channel,
            CommunicationPreference.purpose == purpose,
        )
    )


def add_event(session: Session, event: PreferenceEvent, new_state: CommunicationPreference | None) -> None:
    """Store the history event, and the person's first state for its channel and purpose where there
    was none."""
    session.add(event)
    if new_state is not None:
        session.add(new_state)
    session.flush()


def event_by_id(session: Session, event_id: int) -> PreferenceEvent | None:
    return session.get(PreferenceEvent, event_id)
