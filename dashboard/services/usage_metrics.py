"""Usage KPIs from the rollup queries: DAU, WAU, MAU, stickiness, sessions, adoption, new vs returning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from data_access.queries import usage as q


@dataclass(frozen=True)
class UsageSummary:
    daily: pd.DataFrame  # day, active_users, requests, events, sessions, duration_ms
    new_returning: pd.DataFrame  # day, new_people, returning_people
    features: pd.DataFrame  # feature, events, user_days, duration_ms, adoption
    dau: float | None  # average over the last 7 days of the period
    wau: int  # distinct people in the last 7 days
    mau: int  # distinct people in the last 30 days

    @property
    def stickiness(self) -> float | None:
        return self.dau / self.mau if self.dau is not None and self.mau else None

    @property
    def sessions_per_day(self) -> float | None:
        return float(self.daily["sessions"].mean()) if not self.daily.empty else None

    @property
    def minutes_per_session(self) -> float | None:
        sessions = self.daily["sessions"].sum() if not self.daily.empty else 0
        return float(self.daily["duration_ms"].sum()) / sessions / 60_000 if sessions else None


def usage_summary(*, session: Session, first: date, last: date, country: str | None = None) -> UsageSummary:
    daily = q.daily_active_users(session=session, first=first, last=last, country=country)
    recent = (
        daily[pd.to_datetime(daily["day"]) > pd.Timestamp(last - timedelta(days=7))]
        if not daily.empty
        else daily
    )
    features = q.feature_use(session=session, first=first, last=last)
    active_days = int(daily["active_users"].sum()) if not daily.empty else 0
    features = features.assign(adoption=features["user_days"] / active_days if active_days else None)
    return UsageSummary(
        daily=daily,
        features=features,
        new_returning=q.new_and_returning(session=session, first=first, last=last, country=country),
        dau=float(recent["active_users"].mean()) if not recent.empty else None,
        wau=q.distinct_active(session=session, first=last - timedelta(days=6), last=last, country=country),
        mau=q.distinct_active(session=session, first=last - timedelta(days=29), last=last, country=country),
    )
