"""Import batches and their rejected rows: nothing read is ever silently dropped (read = stored +
rejected)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base, str_enum
from data_access.models.enums import BatchStatus
from data_access.types import BigIntPK, UTCDateTime, utcnow


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    source_name: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[BatchStatus] = mapped_column(str_enum(BatchStatus), default=BatchStatus.RUNNING)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_stored: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    # a known natural key with changed values (the record updated) and one with the same values
    # (migration 0021)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RejectedRow(Base):
    """A line that could not be stored, with where it was and why (file, line, field, reason)."""

    __tablename__ = "rejected_rows"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)


class UrlPiiFinding(Base):
    """Personal data found in a logged URL: the policy does not say we collect it that way."""

    __tablename__ = "url_pii_findings"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    ts: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    param: Mapped[str] = mapped_column(String(64))
    masked_sample: Mapped[str] = mapped_column(String(255))


class SyncState(Base):
    """High-water mark of an incremental sync from a source system, per entity."""

    __tablename__ = "sync_state"

    source: Mapped[str] = mapped_column(String(255), primary_key=True)
    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    high_water: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Setting(Base):
    """A setting changed in the app (controller time zone, calendars, internal targets)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
