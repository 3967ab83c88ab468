"""The bulk demo loader (benchmarks): fills the tables in proportion and leaves the schema's indexes
as it found them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from dashboard.demo.bulk import load_bulk
from dashboard.demo.generate import DatabaseNotEmpty
from data_access.db import session_factory
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    ActivityDayTotal,
    ActivityFirstDay,
    Base,
    FeatureDaily,
    Person,
    TrafficDaily,
    UsageEvent,
)
from data_access.rollups import rebuild_rollups
from tests.conftest import DEMO_END


def _index_definitions(engine: Engine) -> set[str]:
    """Every index on the schema's own tables (not on partitions), as the database itself describes it."""
    names = sorted(Base.metadata.tables)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                text(
                    "SELECT tbl_name || ':' || name || ':' || coalesce(sql, '') "
                    "FROM sqlite_master WHERE type = 'index'"
                )
            ).scalars()
        else:
            rows = connection.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    "AND tablename = ANY(:names)"
                ),
                {"names": names},
            ).scalars()
        return set(rows)


def test_bulk_load_fills_tables_and_rebuilds_every_index_it_dropped(engine: Engine) -> None:
    before = _index_definitions(engine)
    assert any("ix_access_log_person_ts" in definition for definition in before)

    summary = load_bulk(engine, users=300, log_lines=6_000, events=1_500, days=60, end=DEMO_END)

    assert _index_definitions(engine) == before
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 300
        lines = session.scalar(select(func.count()).select_from(AccessLogEntry)) or 0
        assert 4_000 <= lines <= 9_000, lines
        assert session.scalar(select(func.count()).select_from(UsageEvent))
        requests = session.scalar(
            select(func.sum(TrafficDaily.requests)).where(TrafficDaily.dimension == "status")
        )
        assert requests == lines  # rollups built after the load, over every line
    assert summary.counts["access_log"] == lines
    if engine.dialect.name == "sqlite":  # loaded through a rollback journal, handed back in WAL mode
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert set(summary.seconds) == {
        "people_and_activity",
        "indexes",
        "other_entities",
        "analyze",
        "rollups",
        "opt_out_sends",
        "analyze_commit_vacuum",
        "total",
    }


def test_a_refused_bulk_load_changes_nothing_and_leaves_wal_on(engine: Engine) -> None:
    load_bulk(engine, users=50, log_lines=500, events=100, days=30, end=DEMO_END)
    with pytest.raises(DatabaseNotEmpty):
        load_bulk(engine, users=50, log_lines=500, events=100, days=30, end=DEMO_END)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 50
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_with_another_connection_open_the_load_stays_in_wal_and_completes(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("journal modes are SQLite's")
    with engine.connect() as other:  # SQLite leaves WAL only when no other connection has the file open
        other.execute(select(func.count()).select_from(Person)).scalar()
        other.commit()  # no transaction, but the file stays open
        load_bulk(engine, users=50, log_lines=500, events=100, days=30, end=DEMO_END)
        assert other.execute(select(func.count()).select_from(Person)).scalar() == 50
        assert other.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def _rollups(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            model.__tablename__: sorted(
                tuple(row) for row in connection.execute(select(*model.__table__.columns))
            )
            for model in (ActivityDaily, ActivityDayTotal, ActivityFirstDay, FeatureDaily, TrafficDaily)
        }


def test_the_rollups_counted_while_generating_equal_a_rebuild_from_the_stored_rows(engine: Engine) -> None:
    load_bulk(engine, users=400, log_lines=8_000, events=2_000, days=45, end=DEMO_END)
    counted = _rollups(engine)
    assert all(counted.values()), {name: len(rows) for name, rows in counted.items()}
    with session_factory(engine)() as session:
        rebuild_rollups(session=session)
        session.commit()
    assert _rollups(engine) == counted
    if engine.dialect.name == "sqlite":  # stored by day, as pages read it (person order made them 3x slower)
        with engine.connect() as connection:
            days = connection.execute(text("SELECT day FROM activity_daily ORDER BY rowid")).scalars().all()
        assert days == sorted(days)


def test_a_people_only_load_stores_people_and_no_activity(engine: Engine) -> None:
    """`demo-bulk --log-lines 0 --events 0`: a million people for the search benchmark without the
    20M log lines."""
    summary = load_bulk(engine, users=200, log_lines=0, events=0, days=60, end=DEMO_END)

    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 200
        assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == 0
        assert session.scalar(select(func.count()).select_from(UsageEvent)) == 0
    assert summary.counts["access_log"] == 0


def _search_triggers(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger'")).scalars())


def test_the_person_search_index_is_current_after_a_bulk_load_and_kept_after(engine: Engine) -> None:
    """The load rebuilds the search index once (SQLite) instead of row by row, and leaves its
    triggers as found."""
    from data_access.models import Contact
    from data_access.queries.people import search_people
    from tests.factories import make_person

    triggers = _search_triggers(engine) if engine.dialect.name == "sqlite" else set()
    load_bulk(engine, users=300, log_lines=0, events=0, days=60, end=DEMO_END)

    if engine.dialect.name == "sqlite":
        assert _search_triggers(engine) == triggers and len(triggers) == 3
    with session_factory(engine)() as session:
        person_id, name = session.execute(
            select(Contact.person_id, Contact.full_name).where(Contact.person_id == 123)
        ).one()
        assert person_id in [m.person_id for m in search_people(session=session, term=name[1:-1])]
        added = make_person(session, name="Tanner Zyxwvut")
        assert [m.person_id for m in search_people(session=session, term="zyxwv")] == [added.id]
