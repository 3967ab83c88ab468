"""Rollups kept up to date at ingest, so dashboard time does not grow with raw rows.

`activity_daily` holds one row per person per active day: DAU is a count per day, WAU/MAU a
distinct count over at most 31 days of it (never of raw events). `traffic_daily` counts
requests per day for each dimension value (status, browser, os, referrer, exit page).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base


class ActivityDaily(Base):
    __tablename__ = "activity_daily"
    __table_args__ = (Index("ix_activity_daily_person_day", "person_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)


class ActivityDayTotal(Base):
    """activity_daily summed per day over everyone (the Usage page without a country filter): one
    row per day, so daily active users read 90 rows instead of every person's active days (migration
    0012). Kept with activity_daily by data_access.rollups (refresh_day_totals) and by erasure
    (subtract_from_day_totals)."""

    __tablename__ = "activity_day_totals"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    active_users: Mapped[int] = mapped_column(Integer, default=0)
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    events: Mapped[int] = mapped_column(BigInteger, default=0)
    sessions: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)


class TrafficDaily(Base):
    __tablename__ = "traffic_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), primary_key=True)
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)


class FeatureDaily(Base):
    __tablename__ = "feature_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    feature: Mapped[str] = mapped_column(String(64), primary_key=True)
    events: Mapped[int] = mapped_column(Integer, default=0)
    users: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)


class PreferenceFlowMonthly(Base):
    """People whose preference on a channel and purpose went from one status to another, per UTC month.

    The opt-out rates replay this instead of the whole preference history (issue 3); it is kept current by
    data_access.preference_flow on every recorded change, including one imported out of time order."""

    __tablename__ = "preference_flow_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 'YYYY-MM', as data_access.sql.utc_month
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    from_status: Mapped[str] = mapped_column(String(32), primary_key=True)  # 'none' for a first event
    to_status: Mapped[str] = mapped_column(String(32), primary_key=True)
    people: Mapped[int] = mapped_column(Integer, default=0)


class OptOutHonourMonthly(Base):
    """Honoured opt-outs per UTC month of receipt, rule, channel, outcome and whole minutes from receipt to
    suppression: the opt-out report's histogram and median read this instead of every opt-out of the period
    (issue 3). An opt-out's suppression time is written with it and never changes, so the table only grows; it
    is kept by data_access.optout_honour on every recorded opt-out and rebuilt after bulk loads.
    Opt-outs not yet honoured are not here: whether they are pending or overdue depends on when one
    asks."""

    __tablename__ = "optout_honour_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 'YYYY-MM' of received_at in UTC
    rule: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)  # 'on time' or 'late'
    minutes: Mapped[int] = mapped_column(Integer, primary_key=True)  # whole minutes, rounded down
    opt_outs: Mapped[int] = mapped_column(Integer, default=0)


class ActivityFirstDay(Base):
    """Each linked person's first active day (the earliest day of activity_daily), so new vs returning users
    per day are an index range, not a pass over every person's whole activity. Kept with activity_daily."""

    __tablename__ = "activity_first_day"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date, index=True)
