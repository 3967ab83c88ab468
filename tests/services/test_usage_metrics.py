"""Usage KPIs from rollups on SQLite and PostgreSQL, against hand-counted activity."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dashboard.services.usage_metrics import usage_summary
from data_access.models import ActivityDaily, ActivityFirstDay, FeatureDaily
from data_access.queries.usage import new_and_returning
from data_access.rollups import keep_earliest_first_days, rebuild_first_days, refresh_day_totals
from tests.factories import make_person


def test_dau_wau_mau_stickiness_sessions_and_new_versus_returning(session: Session) -> None:
    ann, bob, cid = (
        make_person(session, country="US"),
        make_person(session, country="US"),
        make_person(session, country="DE"),
    )
    days = {
        ann.id: [date(2026, 10, 1), date(2026, 10, 30), date(2026, 10, 31)],
        bob.id: [date(2026, 10, 31)],
        cid.id: [date(2026, 10, 10)],
    }
    for person_id, active in days.items():
        session.add_all(
            ActivityDaily(day=d, person_id=person_id, requests=3, events=2, sessions=1, duration_ms=120_000)
            for d in active
        )
    session.add(FeatureDaily(day=date(2026, 10, 31), feature="invoices", events=4, users=2, duration_ms=1000))
    session.flush()
    rebuild_first_days(session)
    refresh_day_totals(session)  # the rollup writers keep both with activity_daily
    summary = usage_summary(session=session, first=date(2026, 10, 1), last=date(2026, 10, 31))
    assert (summary.wau, summary.mau) == (
        2,
        3,
    )  # 30 days back from 31 Oct is 2 Oct: ann, bob and cid (10 Oct)
    assert summary.dau == (1 + 2) / 2  # days with activity among the last seven: 30 Oct (1), 31 Oct (2)
    assert summary.stickiness == summary.dau / 3
    assert summary.minutes_per_session == 2.0
    assert summary.features.iloc[0]["adoption"] == 2 / 5
    no_filter = usage_summary(session=session, first=date(2026, 10, 1), last=date(2026, 10, 31), country="")
    assert no_filter.daily.equals(summary.daily)  # "" is the page's "All countries", as None is
    germany = usage_summary(session=session, first=date(2026, 10, 1), last=date(2026, 10, 31), country="DE")
    assert germany.daily["active_users"].sum() == 1
    mix = new_and_returning(session=session, first=date(2026, 10, 1), last=date(2026, 10, 31))
    by_day = {str(r["day"]): (r["new_people"], r["returning_people"]) for r in mix.to_dict(orient="records")}
    assert by_day["2026-10-01"] == (1, 0) and by_day["2026-10-31"] == (1, 1)


def test_a_first_day_is_written_only_when_it_moves_earlier(session: Session) -> None:
    """A later or equal day leaves the row alone: on PostgreSQL each rewrite left a dead row version
    behind (seen by its ctid), on SQLite it was a write all the same (seen by total_changes)."""
    person = make_person(session)
    postgres = session.get_bind().dialect.name == "postgresql"
    version = text(
        "SELECT ctid::text FROM activity_first_day WHERE person_id = :p"
        if postgres
        else "SELECT total_changes()"
    )

    def write(day: date) -> tuple[date | None, str]:
        keep_earliest_first_days(session, {person.id: day})
        return (
            session.scalar(select(ActivityFirstDay.first_day).where(ActivityFirstDay.person_id == person.id)),
            str(session.scalar(version, {"p": person.id})),
        )

    stored = write(date(2026, 10, 10))
    assert write(date(2026, 10, 10)) == stored
    assert write(date(2026, 10, 20)) == stored
    moved = write(date(2026, 10, 3))
    assert moved[0] == date(2026, 10, 3) and moved[1] != stored[1]
