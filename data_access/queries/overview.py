"""Headline figures for the Overview page, each one query computed in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_one
from data_access.models import (
    AccessLogEntry,
    CommunicationPreference,
    LegalRequest,
    Person,
    SharingRecord,
    SubjectRequest,
    UsageEvent,
)
from data_access.models.enums import (
    OPEN_REQUEST_STATUSES,
    AccountStatus,
    Channel,
    CommPurpose,
    PreferenceStatus,
)


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
    open_filter = SubjectRequest.status.in_(OPEN_REQUEST_STATUSES)
    effective_due = func.coalesce(SubjectRequest.extended_due_date, SubjectRequest.due_date)
    pref = CommunicationPreference
    email_marketing = (pref.channel == Channel.EMAIL, pref.purpose == CommPurpose.MARKETING)
    return OverviewFigures(
        people=read_one(session, select(func.count()).select_from(Person).where(
            Person.status != AccountStatus.ANONYMISED)),
        open_requests=read_one(session, select(func.count()).where(open_filter)),
        overdue_requests=read_one(session, select(func.count()).where(open_filter, effective_due < today)),
        email_opted_out=read_one(session, select(func.count()).where(
            *email_marketing, pref.status == PreferenceStatus.OPTED_OUT)),
        email_reachable=read_one(session, select(func.count()).where(*email_marketing)),
        sharing_records_30d=read_one(session, select(func.count()).where(
            SharingRecord.shared_at >= now - timedelta(days=30))),
        legal_requests_90d=read_one(session, select(func.count()).where(
            LegalRequest.received_at >= now - timedelta(days=90))),
        newest_activity=newest_activity(session=session),
    )


def newest_activity(*, session: Session) -> datetime | None:
    """The newest log line or usage event: how current the data is (both read from the ts index)."""
    newest = [read_one(session, select(func.max(AccessLogEntry.ts))),
              read_one(session, select(func.max(UsageEvent.ts)))]
    values = [v for v in newest if v is not None]
    return max(values) if values else None
