"""Data subjects: the billing platform's users and what they provided (policy: 'Information You Provide')."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from data_access.models.base import Base, str_enum
from data_access.models.enums import AccountStatus, IdentifierKind
from data_access.types import BigIntPK, UTCDateTime, utcnow


class Person(Base):
    """An account on the billing platform; `external_ref` is the platform's own user id."""

    __tablename__ = "people"
    # the people under litigation hold, which every retention count and purge leaves out: a few
    # rows, read instead of every person (migration 0024); the predicate as the queries write it
    __table_args__ = (
        Index(
            "ix_people_litigation_hold",
            "id",
            sqlite_where=text("litigation_hold IS 1"),
            postgresql_where=text("litigation_hold IS true"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    external_ref: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str | None] = mapped_column(String(128), unique=True)
    # indexed: the overview counts people by status from this narrow index, not by reading every row
    status: Mapped[AccountStatus] = mapped_column(
        str_enum(AccountStatus), default=AccountStatus.ACTIVE, index=True
    )
    country: Mapped[str] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the account was closed: its data's retention runs from here (docs/retention.md; migration 0023).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A litigation hold keeps everything of the person past every retention period (the purge skips them).
    litigation_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    contact: Mapped[Contact | None] = relationship(back_populates="person", uselist=False)
    billing_profile: Mapped[BillingProfile | None] = relationship(back_populates="person", uselist=False)
    identifiers: Mapped[list[PersistentIdentifier]] = relationship(back_populates="person")


class Contact(Base):
    """Name, email and phone as the person gave them; email is stored lower-cased for lookup."""

    __tablename__ = "contacts"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(back_populates="contact")


class BillingProfile(Base):
    """Billing details: only card brand and last four digits are ever held (never the PAN)."""

    __tablename__ = "billing_profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    card_brand: Mapped[str | None] = mapped_column(String(32))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    address_line: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(back_populates="billing_profile")


class PersistentIdentifier(Base):
    """A persistent identifier such as a Google ID or cookie id (policy: 'Persistent Identifiers')."""

    __tablename__ = "identifiers"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IdentifierKind] = mapped_column(str_enum(IdentifierKind))
    value: Mapped[str] = mapped_column(String(128), index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="identifiers")


class Invoice(Base):
    """A billing record. Tax law requires keeping it after erasure, so it is pseudonymised, not deleted."""

    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_person_issued", "person_id", "issued_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    number: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    billing_name: Mapped[str | None] = mapped_column(String(200))
    billing_address: Mapped[str | None] = mapped_column(Text)
    pseudonym: Mapped[str | None] = mapped_column(String(64))
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RetentionHold(Base):
    """Why a record outlives an erasure request, and until when (GDPR Art. 17(3)(b))."""

    __tablename__ = "retention_holds"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(BigIntPK)
    reason: Mapped[str] = mapped_column(Text)
    retain_until: Mapped[date] = mapped_column(Date)
    subject_request_id: Mapped[int | None] = mapped_column(ForeignKey("subject_requests.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FieldChange(Base):
    """History of changed data: a person's fields corrected (GDPR Art. 16) or updated by import, and register
    entries updated by import (a recipient: `record_id` in `table_name`, no person); old and new
    value, who and why (the request; an import's batch is in its audit entry)."""

    __tablename__ = "field_changes"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # indexed: retention runs from it (docs/retention.md)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    changed_by: Mapped[str] = mapped_column(String(64))
    subject_request_id: Mapped[int | None] = mapped_column(ForeignKey("subject_requests.id"))
    record_id: Mapped[int | None] = mapped_column(BigIntPK)  # a register entry's id, for no person (0021)
