"""Published policy versions: their texts and who was told of each change."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import String, cast, exists, func, select
from sqlalchemy.orm import Session

from data_access.gateway import MAX_ROWS, read_df
from data_access.models import Contact, Person, PolicyNotification, PolicyVersion, UrlPiiFinding


def policy_texts(*, session: Session) -> pd.DataFrame:
    v = PolicyVersion
    return read_df(session, select(v.version, v.effective_date, v.summary, v.text).order_by(v.effective_date))


def policy_coverage(*, session: Session) -> pd.DataFrame:
    """Per version: people with an account before it was published (who need telling; later sign-ups accepted
    it), and how many of them were notified."""
    v = PolicyVersion
    before = select(func.count()).where(Person.created_at < v.published_at).scalar_subquery()
    notified = select(func.count()).where(PolicyNotification.policy_version_id == v.id).scalar_subquery()
    return read_df(
        session,
        select(
            v.id,
            v.version,
            v.effective_date,
            v.published_at,
            v.summary,
            before.label("people_before"),
            notified.label("notified"),
        ).order_by(v.effective_date),
    )


def policy_not_notified(
    *, session: Session, today: date, limit: int = MAX_ROWS, effective_since: date | None = None
) -> pd.DataFrame:
    """People who had an account before a (non-first) policy version took effect and were not notified of it;
    `effective_since`: only versions effective from that day (older ones' notices are past their
    retention)."""
    v, n = PolicyVersion, PolicyNotification
    first = select(func.min(v.effective_date)).scalar_subquery()
    notified = exists().where(
        n.policy_version_id == v.id, n.person_id == Person.id
    )  # the primary key's index
    stmt = (
        select(v.version, v.effective_date, Person.id.label("person_id"), Contact.email)
        .join(Person, Person.created_at < v.published_at)
        .join(Contact, Contact.person_id == Person.id, isouter=True)
        .where(
            v.effective_date > first,
            v.effective_date <= today,
            ~notified,
            Person.anonymised_at.is_(None),
            *([v.effective_date >= effective_since] if effective_since else []),
        )
        .order_by(Person.id)
        .limit(limit)
    )  # by the primary key, so the first `limit` come without a sort
    return read_df(session, stmt, limit=limit)


def url_pii_summary(session: Session) -> pd.DataFrame:
    """Personal data found in URLs at ingest, by kind and parameter: lines, first and last seen, a
    masked sample."""
    f = UrlPiiFinding
    return read_df(
        session,
        select(
            f.kind,
            f.param,
            func.count().label("lines"),
            func.min(f.ts).label("first_seen"),
            func.max(f.ts).label("last_seen"),
            func.min(cast(f.masked_sample, String)).label("masked_sample"),
        )
        .group_by(f.kind, f.param)
        .order_by(f.kind, f.param),
    )
