"""Published policy versions with notification coverage."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import PolicyNotification, PolicyVersion


def policy_versions(*, session: Session) -> pd.DataFrame:
    v = PolicyVersion
    notified = select(func.count()).where(PolicyNotification.policy_version_id == v.id).scalar_subquery()
    return read_df(session, select(v.id, v.version, v.effective_date, v.summary, notified.label("notified"))
                   .order_by(v.effective_date.desc()))
