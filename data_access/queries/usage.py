"""Usage metrics read from the rollup tables (never from raw log rows), so their cost follows days, not lines.

Daily figures come from activity_day_totals (one row per day) or, for one country, from
activity_daily (one row per person and day with activity) joined to people; distinct active people
over a week or month from activity_daily; traffic from traffic_daily (requests per day and status,
page, exit page, referrer, browser, OS, device); features from feature_daily. A country filter
applies to people-based figures; traffic includes visitors we cannot tie to anyone.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import (
    ActivityDaily,
    ActivityDayTotal,
    ActivityFirstDay,
    FeatureDaily,
    Person,
    TrafficDaily,
)
from data_access.rollups import day_sums


def _activity(first: date, last: date, country: str | None) -> Select[date, int, int, int, int, int]:
    a = ActivityDaily
    stmt = select(a.day, a.person_id, a.requests, a.events, a.sessions, a.duration_ms).where(
        a.day.between(first, last)
    )
    if country:
        stmt = stmt.join(Person, Person.id == a.person_id).where(Person.country == country)
    return stmt


def daily_active_users(
    *, session: Session, first: date, last: date, country: str | None = None
) -> pd.DataFrame:
    """Per day: active people, requests, events, sessions and total session time (ms)."""
    return read_df(session, _daily(first, last, country).order_by("day"))


def _daily(first: date, last: date, country: str | None) -> Select[date, int, int, int, int, int]:
    if not country:
        t = ActivityDayTotal
        return select(t.day, t.active_users, t.requests, t.events, t.sessions, t.duration_ms).where(
            t.day.between(first, last)
        )
    a = ActivityDaily
    return (
        day_sums(a.day.between(first, last))
        .join(Person, Person.id == a.person_id)
        .where(Person.country == country)
    )


def distinct_active(*, session: Session, first: date, last: date, country: str | None = None) -> int:
    """People active at least once in first..last (a week for WAU, a month for MAU)."""
    act = _activity(first, last, country).subquery()
    return int(session.scalar(select(func.count(act.c.person_id.distinct()))) or 0)


def new_and_returning(
    *, session: Session, first: date, last: date, country: str | None = None
) -> pd.DataFrame:
    """Per day: active people seen for the first time that day (new) and the others (returning).

    New people come from activity_first_day (an index range); a person new on a day is active on it, so the
    returning are the day's active people less the new."""
    daily = _daily(first, last, country).subquery()
    active = select(daily.c.day, daily.c.active_users.label("active")).subquery()
    f = ActivityFirstDay
    firsts = select(f.first_day.label("day"), func.count().label("new_people")).where(
        f.first_day.between(first, last)
    )
    if country:
        firsts = firsts.join(Person, Person.id == f.person_id).where(Person.country == country)
    new = firsts.group_by(f.first_day).subquery()
    new_people = func.coalesce(new.c.new_people, 0)
    return read_df(
        session,
        select(
            active.c.day,
            new_people.label("new_people"),
            (active.c.active - new_people).label("returning_people"),
        )
        .join(new, new.c.day == active.c.day, isouter=True)
        .order_by(active.c.day),
    )


def feature_use(*, session: Session, first: date, last: date) -> pd.DataFrame:
    """Per feature: events, person-days of use and time spent."""
    f = FeatureDaily
    return read_df(
        session,
        select(
            f.feature,
            func.sum(f.events).label("events"),
            func.sum(f.users).label("user_days"),
            func.sum(f.duration_ms).label("duration_ms"),
        )
        .where(f.day.between(first, last))
        .group_by(f.feature)
        .order_by(func.sum(f.users).desc()),
    )


def traffic_by(*, session: Session, dimension: str, first: date, last: date, limit: int = 20) -> pd.DataFrame:
    t = TrafficDaily
    total = func.sum(t.requests).label("requests")
    return read_df(
        session,
        select(t.value, total)
        .where(t.dimension == dimension, t.day.between(first, last))
        .group_by(t.value)
        .order_by(total.desc()),
        limit=limit,
    )


def countries(*, session: Session) -> list[str]:
    return [c for c in session.scalars(select(Person.country).distinct().order_by(Person.country)) if c]
