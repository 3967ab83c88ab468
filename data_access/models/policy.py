"""Published privacy-policy versions and the notices of change sent to people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base
from data_access.types import BigIntPK, UTCDateTime, utcnow


class PolicyVersion(Base):
    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    effective_date: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PolicyNotification(Base):
    """A notice of a policy change sent to a person (policy: 'We will notify you of any changes')."""

    __tablename__ = "policy_notifications"

    policy_version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # retention runs from it
    channel: Mapped[str] = mapped_column(String(16), default="email")


class CheckSnapshot(Base):
    """A policy check's verdict as of a day, kept so that executives see the trend of checks
    passing: the checks judge the data as it is, and judging twelve past month-ends on every visit
    would cost seconds at scale.
    Written by `compliance check` (run daily from cron) and the demo loader."""

    __tablename__ = "check_snapshots"

    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    check_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    passed: Mapped[bool] = mapped_column()
    evidence_rows: Mapped[int] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
