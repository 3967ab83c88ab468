"""Recipients and sharing records (policy: share 'only as part of the service ... and with consent')."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from data_access.models.base import Base, str_enum
from data_access.models.enums import ContractStatus, LegalBasis, RecipientRole
from data_access.types import BigIntPK, UTCDateTime, utcnow


class Recipient(Base):
    """A third party that may receive data, with its contract/DPA status and allowed categories."""

    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[RecipientRole] = mapped_column(str_enum(RecipientRole))
    country: Mapped[str] = mapped_column(String(2))
    contract_status: Mapped[ContractStatus] = mapped_column(str_enum(ContractStatus))
    dpa_signed_on: Mapped[date | None] = mapped_column(Date)
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date)
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    allowed_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)


class SharingRecord(Base):
    """One disclosure of personal data to a recipient: when, what categories, why, on which basis."""

    __tablename__ = "sharing_records"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id"), index=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    categories: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[LegalBasis] = mapped_column(str_enum(LegalBasis))
    consent_scope: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    natural_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    recipient: Mapped[Recipient] = relationship()


class SharingRecordPerson(Base):
    """Who was included in a sharing record, with the consent reference relied on, if any."""

    __tablename__ = "sharing_record_people"

    sharing_record_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_records.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    consent_reference: Mapped[str | None] = mapped_column(String(64))
