"""Counts behind the company data map: how many people each table holds data about, and who received what."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import ActivityDaily, Base, Person, Recipient, SharingRecord
from data_access.models.enums import AccountStatus

# Tables whose people are counted from a smaller stand-in (the per-person rollup), not from raw lines.
ROLLUP_FOR = {"access_log": ActivityDaily.requests, "usage_events": ActivityDaily.events}


def people_per_table(*, session: Session, tables: list[str]) -> dict[str, int]:
    """Distinct people with at least one row in each table (people: those not anonymised)."""
    counts: dict[str, int] = {}
    for name in tables:
        if name == "people":
            counts[name] = (
                session.scalar(select(func.count()).where(Person.status != AccountStatus.ANONYMISED)) or 0
            )
        elif name in ROLLUP_FOR:
            counts[name] = (
                session.scalar(
                    select(func.count(ActivityDaily.person_id.distinct())).where(ROLLUP_FOR[name] > 0)
                )
                or 0
            )
        elif "person_id" in Base.metadata.tables[name].columns:
            column = Base.metadata.tables[name].columns["person_id"]
            counts[name] = session.scalar(select(func.count(column.distinct()))) or 0
    return counts


def shared_categories(*, session: Session) -> pd.DataFrame:
    """Each recipient with the categories it received (from the sharing records) and how many times."""
    s = SharingRecord
    return read_df(
        session,
        select(
            Recipient.name.label("recipient"),
            cast(Recipient.role, String(32)).label("role"),
            Recipient.country,
            s.categories,
        ).join(Recipient, Recipient.id == s.recipient_id),
    )
