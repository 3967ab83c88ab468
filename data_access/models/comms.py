"""Communication preferences, their history, consents and messages sent.

Policy: 'You can opt-out of receiving these communications at any time.' The history
(`preference_events`) is what honour times and violations are computed from.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base, str_enum
from data_access.models.enums import (
    Channel,
    CommPurpose,
    MessageKind,
    MessageTiming,
    PreferenceSource,
    PreferenceStatus,
)
from data_access.types import BigIntPK, UTCDateTime, utcnow


class CommunicationPreference(Base):
    """Current state per person, channel and purpose (the history is in PreferenceEvent)."""

    __tablename__ = "comm_preferences"
    # ix_comm_preferences_state: opted-out and reachable counts read an index range, not every person's row.
    __table_args__ = (
        UniqueConstraint("person_id", "channel", "purpose"),
        Index("ix_comm_preferences_state", "channel", "purpose", "status"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    purpose: Mapped[CommPurpose] = mapped_column(str_enum(CommPurpose))
    status: Mapped[PreferenceStatus] = mapped_column(str_enum(PreferenceStatus))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PreferenceEvent(Base):
    """An opt-in or opt-out as received, with its legal deadline and when it was honoured."""

    __tablename__ = "preference_events"
    __table_args__ = (
        Index("ix_preference_events_person_received", "person_id", "received_at"),
        Index("ix_preference_events_channel_received", "channel", "received_at"),
        # The late opt-outs of a period are found among its opt-outs (a tenth of the events) by time; with the
        # deadline, suppression, rule and channel in the index, without visiting the table.
        Index(
            "ix_preference_events_status_received",
            "new_status",
            "received_at",
            "honour_deadline_at",
            "honoured_at",
            "rule",
            "channel",
        ),
        Index("ix_preference_events_source_received", "source", "received_at"),
        # Opt-outs not honoured yet, together (honoured_at NULL), for the report's pending and overdue ones
        # (the honoured ones are counted in optout_honour_monthly); covering, so they are counted
        # from the index.
        Index(
            "ix_preference_events_status_honoured",
            "new_status",
            "honoured_at",
            "received_at",
            "honour_deadline_at",
            "rule",
            "channel",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    purpose: Mapped[CommPurpose] = mapped_column(str_enum(CommPurpose))
    new_status: Mapped[PreferenceStatus] = mapped_column(str_enum(PreferenceStatus))
    source: Mapped[PreferenceSource] = mapped_column(str_enum(PreferenceSource))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    rule: Mapped[str | None] = mapped_column(String(32))
    honour_by: Mapped[date | None] = mapped_column(Date)
    # The instant honour_by ends in the controller's zone (OptOutDeadline.ends_at): what SQL compares against.
    honour_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    honoured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    natural_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class Consent(Base):
    """A consent given (and perhaps withdrawn) for a scope such as 'sharing:analytics'."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # indexed: retention counts and purges consents by withdrawal (docs/retention.md)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Message(Base):
    """A message sent to a person; promotional ones after an opt-out are violations."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_person_sent", "person_id", "sent_at"),
        Index("ix_messages_kind_sent", "kind", "sent_at"),
        # Only the messages sent under an opt-out (a few thousand among tens of millions), with what
        # the opt-out report counts of them: its counts read this small index instead of one table
        # page per message (0015).
        Index(
            "ix_messages_under_opt_out",
            "opt_out_event_id",
            "sent_at",
            "kind",
            "person_id",
            "channel",
            "campaign",
            "id",
            "opt_out_timing",
            sqlite_where=text("opt_out_event_id IS NOT NULL"),
            postgresql_where=text("opt_out_event_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind))
    campaign: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    natural_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The marketing opt-out in force on this channel when the message was sent, if any
    # (data_access.opt_out_sends):
    # kept by every writer, so finding messages sent after an opt-out reads only those, not every opt-out.
    opt_out_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("preference_events.id", ondelete="SET NULL")
    )
    # Where the message falls against that opt-out (violation or not), kept with it: both are fixed once the
    # message and the opt-out are written, so counting violations needs no opt-out read.
    opt_out_timing: Mapped[MessageTiming | None] = mapped_column(str_enum(MessageTiming))
