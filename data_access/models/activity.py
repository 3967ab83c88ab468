"""Information collected automatically: HTTP access logs and product usage events.

These are the large tables. Every query reads them through an index on time or on
person, and dashboards read the rollup tables in `rollups.py` instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base
from data_access.types import BigIntPK, UTCDateTime


class AccessLogEntry(Base):
    """One line of an HTTP access log; `line_key` makes re-imports idempotent."""

    __tablename__ = "access_log"
    # (client, ts): erasure finds every line from a person's IP addresses, not only the lines linked
    # to them, and ingest finds the last line of a visit (one client and user agent on one day) for
    # its exit page (0011). (ts, line_key) rather than line_key alone: a log is written in time
    # order, so new keys land at the end of the index instead of at random pages of it (migration
    # 0009), and the same index serves time ranges.
    __table_args__ = (
        Index("ix_access_log_person_ts", "person_id", "ts"),
        Index("ix_access_log_client_ts", "client", "ts"),
        Index("uq_access_log_ts_line_key", "ts", "line_key", unique=True),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
    client: Mapped[str] = mapped_column(String(255))
    authuser: Mapped[str | None] = mapped_column(String(128))
    method: Mapped[str | None] = mapped_column(String(16))
    path: Mapped[str | None] = mapped_column(Text)
    query: Mapped[str | None] = mapped_column(Text)
    protocol: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[int | None] = mapped_column(SmallInteger)
    bytes_sent: Mapped[int | None] = mapped_column(Integer)
    referrer: Mapped[str | None] = mapped_column(Text)
    user_agent: Mapped[str | None] = mapped_column(String(1024))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    line_key: Mapped[str] = mapped_column(String(48))


class UsageEvent(Base):
    """A product usage event: who used which feature, in which session, for how long."""

    __tablename__ = "usage_events"
    __table_args__ = (
        Index("ix_usage_events_person_ts", "person_id", "ts"),
        Index("uq_usage_events_ts_event_key", "ts", "event_key", unique=True),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    session_id: Mapped[str | None] = mapped_column(String(64))
    feature: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    event_key: Mapped[str] = mapped_column(String(48))
