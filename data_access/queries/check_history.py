"""Policy-check verdicts kept per day (check_snapshots), and the monthly count of checks passing
read from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import CheckSnapshot


def record_snapshot(*, session: Session, as_of: date, verdicts: Iterable[tuple[str, bool, int]]) -> None:
    """Keep (key, passed, evidence rows) of each check judged as of a day; a later run of the same
    day replaces what it judged again."""
    rows = [
        {"as_of": as_of, "check_key": key, "passed": passed, "evidence_rows": evidence}
        for key, passed, evidence in verdicts
    ]
    if not rows:
        return
    session.execute(
        delete(CheckSnapshot).where(
            CheckSnapshot.as_of == as_of, CheckSnapshot.check_key.in_([r["check_key"] for r in rows])
        )
    )
    session.add_all(CheckSnapshot(**row) for row in rows)
    session.flush()


def monthly_checks_passing(*, session: Session, since: date, until: date) -> pd.DataFrame:
    """month ('YYYY-MM'), as_of, checks, passing: the last day of each month in [since, until) that has
    snapshots. Checks judged on that day only; the month shows how the catalogue stood then."""
    s = CheckSnapshot
    days = select(s.as_of).where(s.as_of >= since, s.as_of < until).distinct().subquery()
    frame = read_df(session, select(days.c.as_of).order_by(days.c.as_of))
    if frame.empty:
        return pd.DataFrame(columns=["month", "as_of", "checks", "passing"])
    frame["month"] = pd.to_datetime(frame["as_of"]).dt.strftime("%Y-%m")
    last = frame.groupby("month", as_index=False)["as_of"].max()
    counts = read_df(
        session,
        select(s.as_of, func.count().label("checks"), func.sum(case((s.passed, 1), else_=0)).label("passing"))
        .where(s.as_of.in_(list(last["as_of"])))
        .group_by(s.as_of),
    )
    return last.merge(counts, on="as_of")[["month", "as_of", "checks", "passing"]]
