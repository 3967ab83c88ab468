"""Headline figures for the Overview page, each one query computed in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from data_access.gateway import read_df, read_one
from data_access.models import (
    AccessLogEntry,
    CommunicationPreference,
    ImportBatch,
    LegalRequest,
    Person,
    PreferenceEvent,
    SharingRecord,
    SubjectRequest,
    UsageEvent,
)
from data_access.models.enums import (
    AccountStatus,
    Channel,
    CommPurpose,
    LegalRequestType,
    PreferenceStatus,
)
from data_access.optout_honour import limit_ended
from data_access.request_due import is_open_expr, overdue_expr
from data_access.sql import utc_month

# 50 U.S.C. 1874: national security process is published only in bands
# (docs/transparency-report.md); a count of authority requests that held it would tell who reads it
# that one came in, so the Overview's leave it out.
NOT_NATIONAL_SECURITY = LegalRequest.request_type != LegalRequestType.NATIONAL_SECURITY


@dataclass(frozen=True)
class OverviewFigures:
    people: int
    open_requests: int
    overdue_requests: int
    email_opted_out: int
    email_reachable: int
    sharing_records_30d: int
    legal_requests_90d: int
    newest_activity: datetime | None

    @property
    def email_opt_out_rate(self) -> float | None:
        return self.email_opted_out / self.email_reachable if self.email_reachable else None


def overview_figures(*, session: Session, today: date, now: datetime) -> OverviewFigures:
    pref = CommunicationPreference
    email_marketing = (pref.channel == Channel.EMAIL, pref.purpose == CommPurpose.MARKETING)
    return OverviewFigures(
        people=read_one(
            session, select(func.count()).select_from(Person).where(Person.status != AccountStatus.ANONYMISED)
        ),
        open_requests=read_one(session, select(func.count()).where(is_open_expr())),
        overdue_requests=read_one(session, select(func.count()).where(overdue_expr(today))),
        email_opted_out=read_one(
            session, select(func.count()).where(*email_marketing, pref.status == PreferenceStatus.OPTED_OUT)
        ),
        email_reachable=read_one(session, select(func.count()).where(*email_marketing)),
        sharing_records_30d=read_one(
            session, select(func.count()).where(SharingRecord.shared_at >= now - timedelta(days=30))
        ),
        legal_requests_90d=read_one(
            session,
            select(func.count()).where(
                LegalRequest.received_at >= now - timedelta(days=90), NOT_NATIONAL_SECURITY
            ),
        ),
        newest_activity=newest_activity(session=session),
    )


def newest_activity(*, session: Session) -> datetime | None:
    """The newest log line or usage event: how current the data is (both read from the ts index)."""
    newest = [
        read_one(session, select(func.max(AccessLogEntry.ts))),
        read_one(session, select(func.max(UsageEvent.ts))),
    ]
    values = [v for v in newest if v is not None]
    return max(values) if values else None


def monthly_counts(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """month ('YYYY-MM', UTC), requests_received, sharing_records, legal_requests in [since, until):
    three small registers grouped in the database."""
    series = {
        "requests_received": (SubjectRequest.received_at, SubjectRequest.id, true()),
        "sharing_records": (SharingRecord.shared_at, SharingRecord.id, true()),
        "legal_requests": (LegalRequest.received_at, LegalRequest.id, NOT_NATIONAL_SECURITY),
    }
    frames = []
    for name, (at, key, counted) in series.items():
        month = utc_month(at).label("month")
        frames.append(
            read_df(
                session,
                select(month, func.count(key).label(name))
                .where(at >= since, at < until, counted)
                .group_by(month),
            ).set_index("month")
        )
    return (
        pd.concat(frames, axis=1).fillna(0).astype(int).sort_index().reset_index()
        if frames
        else pd.DataFrame()
    )


@dataclass(frozen=True)
class AttentionCounts:
    """What a compliance manager must act on today, each counted from an index."""

    opt_outs_overdue: int  # suppression not applied and the legal limit has ended
    opt_outs_due_soon: int  # suppression not applied and the limit ends within the window
    imports_with_rejections: int  # imports of the window that rejected rows


def attention_counts(
    *, session: Session, now: datetime, soon: timedelta, recent: timedelta
) -> AttentionCounts:
    """Opt-outs whose limit ended or ends within `soon`; imports of the last `recent` that rejected rows."""
    e = PreferenceEvent
    pending = (
        e.new_status == PreferenceStatus.OPTED_OUT,
        e.honoured_at.is_(None),
        e.honour_deadline_at.is_not(None),
    )
    return AttentionCounts(
        opt_outs_overdue=read_one(session, select(func.count()).where(*pending, limit_ended(now))),
        opt_outs_due_soon=read_one(
            session, select(func.count()).where(*pending, ~limit_ended(now), limit_ended(now + soon))
        ),
        imports_with_rejections=read_one(
            session,
            select(func.count()).where(ImportBatch.started_at >= now - recent, ImportBatch.rows_rejected > 0),
        ),
    )
