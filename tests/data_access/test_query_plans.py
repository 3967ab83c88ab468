"""Per-person and dashboard queries use indexes: no full scan of the log, event or people tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from data_access.models import AccessLogEntry, ActivityDaily, TrafficDaily, UsageEvent
from data_access.models.enums import RequestStatus
from data_access.queries.overview import overview_figures
from data_access.queries.requests import open_counts
from tests.data_access.plans import full_scans, index_reads, statements_run
from tests.factories import make_person, make_request

PER_PERSON_TABLES = ("access_log", "usage_events", "people", "contacts", "identifiers")


def test_newest_activity_reads_the_timestamp_indexes(session: Session) -> None:
    for table in (AccessLogEntry, UsageEvent):
        assert full_scans(session, select(func.max(table.ts))) == []


@pytest.mark.parametrize("table", [AccessLogEntry, UsageEvent])
def test_a_persons_activity_summary_uses_the_person_time_index(session: Session, table) -> None:  # type: ignore[no-untyped-def]
    person = make_person(session)
    stmt = select(func.count(), func.min(table.ts), func.max(table.ts)).where(table.person_id == person.id)
    assert full_scans(session, stmt) == []


def test_finding_a_person_by_any_identifier_uses_indexes(session: Session) -> None:
    from data_access.queries import people

    with statements_run(session) as captured:
        people.find_people(session=session, term="1098765432109876")
    assert full_scans(session, captured[0], PER_PERSON_TABLES) == []


@pytest.mark.parametrize("term", ["Tann", "whit@mail", "555 01"])
def test_searching_by_part_of_a_name_email_or_phone_uses_the_search_index(
    session: Session, term: str
) -> None:
    """Issue 4: a substring search at 1M people through FTS5 (SQLite) or pg_trgm (PostgreSQL), never
    a scan."""
    from data_access.queries import people

    with statements_run(session) as captured:
        people.search_people(session=session, term=term)
    assert len(captured) >= 2
    assert {
        str(s)[:60]: full_scans(session, s, PER_PERSON_TABLES)
        for s in captured
        if full_scans(session, s, PER_PERSON_TABLES)
    } == {}


def test_usage_metrics_read_rollups_by_their_day_index(session: Session) -> None:
    first, last = date(2026, 1, 1), date(2026, 3, 31)
    dau = (
        select(ActivityDaily.day, func.count())
        .where(ActivityDaily.day.between(first, last))
        .group_by(ActivityDaily.day)
    )
    traffic = (
        select(TrafficDaily.value, func.sum(TrafficDaily.requests))
        .where(TrafficDaily.dimension == "browser", TrafficDaily.day.between(first, last))
        .group_by(TrafficDaily.value)
    )
    assert full_scans(session, dau, ["activity_daily"]) == []
    assert full_scans(session, traffic, ["traffic_daily"]) == []


def test_new_versus_returning_and_the_opt_out_report_read_by_index(session: Session) -> None:
    """The Usage page's new users and the Communications page's opt-out queries: no pass over a
    whole table."""
    from datetime import UTC, datetime

    from data_access.queries import optouts, usage

    since, until = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)  # whole months
    now = datetime(2026, 11, 15, tzinfo=UTC)
    with statements_run(session) as captured:
        usage.new_and_returning(session=session, first=date(2026, 1, 1), last=date(2026, 3, 31))
        optouts.preference_transitions(session=session, until=now)
        optouts.honour_time_histogram(session=session, since=since, until=until, now=now)
        optouts.median_honour_hours(session=session, since=since, until=until)
        optouts.messages_after_opt_out(session=session, since=since, until=until)
        optouts.opt_out_message_counts(session=session, since=since, until=until)
        optouts.late_opt_outs(session=session, since=since, until=until, now=now)
        optouts.gpc_signals(session=session, since=since, until=until)
        optouts.recent_opt_outs(session=session)
    large = [
        "activity_daily",
        "activity_first_day",
        "preference_events",
        "messages",
        "people",
        "optout_honour_monthly",
    ]
    scans = {str(s)[:70]: full_scans(session, s, large) for s in captured}
    assert len(scans) >= 9 and {k: v for k, v in scans.items() if v} == {}


@pytest.mark.parametrize("query", ["messages_after_opt_out", "opt_out_message_counts"])
def test_messages_sent_under_an_opt_out_are_read_from_their_own_index_alone(
    session: Session, query: str
) -> None:
    """Not one table page per message: with a cold cache at 1M people that was most of the listing's
    time. With planner statistics of a table where few messages went out under an opt-out, as in any
    real one."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from data_access.models import Message, PreferenceEvent
    from data_access.queries import optouts

    person = make_person(session)
    opt_out = PreferenceEvent(
        person_id=person.id,
        channel="email",
        purpose="marketing",
        new_status="opted_out",
        source="preference_form",
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
        recorded_by="t",
    )
    session.add(opt_out)
    session.flush()
    session.execute(
        insert(Message),
        [
            {
                "person_id": person.id,
                "channel": "email",
                "kind": "promotional",
                "campaign": "c",
                "sent_at": datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=n),
                "opt_out_event_id": opt_out.id if n % 500 == 0 else None,
                "opt_out_timing": "after legal limit" if n % 500 == 0 else None,
            }
            for n in range(3_000)
        ],
    )
    session.execute(text("ANALYZE messages"))
    since, until = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    with statements_run(session) as captured:
        getattr(optouts, query)(session=session, since=since, until=until)
    reads = index_reads(session, captured[0], "messages")  # on PostgreSQL this rolls the test's rows back
    assert [index for index, _ in reads] == ["ix_messages_under_opt_out"]
    assert session.get_bind().dialect.name == "postgresql" or reads[0][1]  # covering: no message row is read


def test_the_plan_checker_does_catch_a_full_scan(session: Session) -> None:
    unindexed = select(func.count()).where(AccessLogEntry.referrer == "https://example.com/")
    assert full_scans(session, unindexed) != []


def test_every_query_of_a_persons_inventory_and_erasure_uses_indexes(session: Session) -> None:
    """Capture each statement person_inventory and the erasure's lookups run, and explain it."""
    from data_access.erasure import identifying_values
    from data_access.queries.person_inventory import person_inventory

    person = make_person(session, google_id="g-1")
    with statements_run(session) as captured:
        person_inventory(session=session, person_id=person.id)
        identifying_values(session=session, person_id=person.id)
    assert len(captured) >= 15
    large = ("access_log", "usage_events", "people", "messages", "preference_events")
    scans = {str(s)[:80]: full_scans(session, s, large) for s in captured}
    assert {k: v for k, v in scans.items() if v} == {}


def test_the_overview_counts_people_and_opt_outs_from_indexes(session: Session) -> None:
    from datetime import UTC, datetime

    from data_access.queries.overview import overview_figures

    with statements_run(session) as captured:
        overview_figures(session=session, today=date(2026, 11, 2), now=datetime(2026, 11, 2, tzinfo=UTC))
    assert len(captured) >= 5
    assert [
        scan
        for statement in captured
        for scan in full_scans(session, statement, ["people", "comm_preferences"])
    ] == []


def test_ingest_reads_the_log_table_by_its_time_leading_keys(session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The lookup of a run's own lines (for URL findings) and the rollup rebuilds go through (ts, line_key)
    or another index: a full scan would read 20M lines per import."""
    from dashboard.auth.service import Principal
    from dashboard.imports.activity import ingest_access_log
    from data_access.models.enums import Role

    line = (
        '203.0.113.5 - - [05/Oct/2026:09:00:0{s} +0000] "GET /app?email=ann%40example.com HTTP/1.1" 200 5 '
        '"-" "Mozilla/5.0"\n'
    )
    log = tmp_path / "findings.log"
    log.write_text("".join(line.format(s=s) for s in range(3)))
    manager = Principal("manager", "Morgan Manager", Role.MANAGER)
    ingest_access_log(session=session, principal=manager, path=log)
    log.write_text(
        "".join(line.format(s=s) for s in range(5))
    )  # two lines more: some new, some stored before
    with statements_run(session) as captured:
        report = ingest_access_log(session=session, principal=manager, path=log)
    assert (report.stored, report.duplicates) == (2, 3)
    reads = [s for s in captured if "access_log" in str(s)]
    assert any("line_key" in str(s) for s in reads)  # the findings lookup ran
    assert {
        str(s)[:80]: full_scans(session, s, ["access_log"])
        for s in reads
        if full_scans(session, s, ["access_log"])
    } == {}


def test_ingest_finds_a_visits_last_line_by_client_and_time(session: Session) -> None:
    """Exit pages kept current per visit: two seeks on (client, ts), not a pass over the day's lines."""
    from data_access.rollups import _visit_exits

    statement = _visit_exits(
        [(date(2026, 10, 5), "203.0.113.5", "curl/8.5.0"), (date(2026, 10, 6), "", None)], 10
    )
    if session.get_bind().dialect.name == "sqlite":
        assert full_scans(session, statement) == []
        compiled = statement.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = " ".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled.string}")))
        assert plan.count("USING INDEX ix_access_log_client_ts (client=? AND ts>? AND ts<?)") == 2, plan
    else:  # bound, not literal: the VALUES list's types come from its parameters' casts
        compiled = statement.compile(dialect=session.get_bind().dialect)
        connection = session.connection()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled.string}", compiled.params)
        )
        session.rollback()
        scans = [line for line in plan.splitlines() if "Scan" in line and " on access_log" in line]
        assert scans and all("client_ts_idx" in line for line in scans), plan  # on every monthly partition
        assert "Index Cond: (((client)::text = " in plan and "(ts >= " in plan, plan


@pytest.mark.parametrize("query", ["overview", "open_counts"])
def test_open_and_overdue_requests_are_counted_from_the_status_index_alone(
    session: Session, query: str
) -> None:
    """Overdue means past the extension if there is one, else the due date: with both dates in the index, no
    request row is read (they were one table page each, read cold, for the thousands of open requests)."""
    for n in range(300):
        make_request(
            session,
            reference=f"R-{n}",
            due_date=date(2026, 11, 1) + timedelta(days=n % 60),
            extended_due_date=date(2026, 12, 20) if n % 7 == 0 else None,
            status=RequestStatus.IN_PROGRESS if n % 3 else RequestStatus.COMPLETED,
        )
    session.flush()
    session.execute(text("ANALYZE subject_requests"))
    today, now = date(2026, 12, 1), datetime(2026, 12, 1, tzinfo=UTC)
    with statements_run(session) as captured:
        if query == "overview":
            overview_figures(session=session, today=today, now=now)
        else:
            open_counts(session=session, today=today, due_soon_days=7)
    overdue = next(s for s in captured if "coalesce" in str(s) and "subject_requests" in str(s))
    if session.get_bind().dialect.name == "postgresql":  # an index-only scan there needs a vacuumed table
        assert full_scans(session, overdue, ["subject_requests"]) == []
        return
    assert index_reads(session, overdue, "subject_requests") == [("ix_subject_requests_status_due", True)]
