"""Data subject requests and their timeline.

`version` is SQLAlchemy's version counter: an UPDATE from a stale copy matches no row and
raises StaleDataError, so two managers cannot overwrite each other's work.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base, str_enum
from data_access.models.enums import RequestChannel, RequestStatus, RequestType
from data_access.types import BigIntPK, UTCDateTime, utcnow


class SubjectRequest(Base):
    __tablename__ = "subject_requests"
    # Open and overdue requests are counted by status and effective due date (the extension if any,
    # else the due date): with both dates in the index the counts read no request row (0016).
    __table_args__ = (Index("ix_subject_requests_status_due", "status", "due_date", "extended_due_date"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    request_type: Mapped[RequestType] = mapped_column(str_enum(RequestType))
    regime: Mapped[str] = mapped_column(String(16))
    channel: Mapped[RequestChannel] = mapped_column(str_enum(RequestChannel))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str | None] = mapped_column(String(254), index=True)
    requester_phone: Mapped[str | None] = mapped_column(String(32))
    requester_country: Mapped[str | None] = mapped_column(String(2))
    requester_region: Mapped[str | None] = mapped_column(String(8))
    via_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[str | None] = mapped_column(Text)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_tz: Mapped[str] = mapped_column(String(64))
    acknowledge_by: Mapped[date | None] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[date] = mapped_column(Date)
    extended_due_date: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus), default=RequestStatus.RECEIVED)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignee: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    package_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class SubjectRequestEvent(Base):
    """One step of a request's timeline: a transition, a note, an assignment, a fulfilment."""

    __tablename__ = "subject_request_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("subject_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
