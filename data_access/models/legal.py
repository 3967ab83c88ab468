"""Requests from public authorities and business transfers (policy: 'Legal Requirements', 'Business
Transfers')."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base, str_enum
from data_access.models.enums import DisclosureOutcome, LegalRequestType, ReviewDecision, TransferEvent
from data_access.types import BigIntPK, UTCDateTime, utcnow


class LegalRequest(Base):
    """A demand for data by an authority, its legal review and what was disclosed."""

    __tablename__ = "legal_requests"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    authority: Mapped[str] = mapped_column(String(200))
    jurisdiction: Mapped[str] = mapped_column(String(64))
    request_type: Mapped[LegalRequestType] = mapped_column(str_enum(LegalRequestType))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(100))
    review_decision: Mapped[ReviewDecision] = mapped_column(
        str_enum(ReviewDecision), default=ReviewDecision.PENDING
    )
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    categories_disclosed: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[DisclosureOutcome] = mapped_column(
        str_enum(DisclosureOutcome), default=DisclosureOutcome.PENDING
    )
    disclosed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_prohibited_until: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LegalRequestPerson(Base):
    """An account specified in a legal request, and when the person was notified of it."""

    __tablename__ = "legal_request_people"

    legal_request_id: Mapped[int] = mapped_column(
        ForeignKey("legal_requests.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BusinessTransfer(Base):
    """A merger, acquisition or asset sale that moves personal data to a new owner."""

    __tablename__ = "business_transfers"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    event: Mapped[TransferEvent] = mapped_column(str_enum(TransferEvent))
    counterparty: Mapped[str] = mapped_column(String(200))
    effective_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BusinessTransferPerson(Base):
    """A person whose data the transfer touches; `notified_at` is the notice the policy promises."""

    __tablename__ = "business_transfer_people"

    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("business_transfers.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(16))
