"""Usage metrics read from the rollup tables (never from raw log rows)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import ActivityDaily, TrafficDaily


def daily_active_users(*, session: Session, first: date, last: date) -> pd.DataFrame:
    a = ActivityDaily
    return read_df(session, select(a.day, func.count().label("active_users"), func.sum(a.requests).label("requests"),
                                   func.sum(a.events).label("events")).where(a.day.between(first, last))
                   .group_by(a.day).order_by(a.day))


def traffic_by(*, session: Session, dimension: str, first: date, last: date, limit: int = 20) -> pd.DataFrame:
    t = TrafficDaily
    total = func.sum(t.requests).label("requests")
    return read_df(session, select(t.value, total).where(t.dimension == dimension, t.day.between(first, last))
                   .group_by(t.value).order_by(total.desc()), limit=limit)
