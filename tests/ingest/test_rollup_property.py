"""Property: after any sequence of log and event ingests, every rollup table equals a direct recomputation.

Ingest rebuilds rollups only for the days a file touched (incremental). The recomputation here is written
independently of data_access.rollups: plain Python over the raw access_log and usage_events rows, following
the definitions the Usage page relies on (UTC days; activity per linked person; features per day; traffic by
status, referrer, page, exit page, browser, OS and device). Two files per log and per event stream, the
second possibly repeating the first, time zones other than UTC (so a local day is not the UTC day), absent
fields ("-"), long paths and garbage lines: each ingest must also keep read = stored + rejected.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.activity import ingest_access_log, ingest_events
from dashboard.imports.report import ImportReport
from data_access.db import session_factory
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    ActivityDayTotal,
    ActivityFirstDay,
    FeatureDaily,
    RejectedRow,
    TrafficDaily,
    UsageEvent,
)
from data_access.models.enums import Role
from data_access.user_agents import classify_user_agent
from tests.conftest import truncate_all
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
START = datetime(2026, 10, 1, 22, 0, tzinfo=UTC)  # late in the day: +02:00 and -05:00 cross UTC midnight
ZONES = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]
REFS = ("U0000001", "U0000002")
AGENTS = [
    None,
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
    "Safari/537.36",
    "curl/8.5.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
]
PATHS = [
    "/app",
    "/app?uid=U0000001",
    "/app?uid=U0000002",
    "/docs",
    "/app?uid=U9999999",
    "/help?email=someone%40example.com",
    "/p/" + "x" * 300,
]

access_lines = st.lists(
    st.one_of(
        st.tuples(
            st.integers(0, 3 * 24 * 3600),
            st.sampled_from(ZONES),
            st.sampled_from(PATHS),
            st.sampled_from(["203.0.113.1", "2001:db8::7", "host.example"]),
            st.sampled_from([None, "alice"]),
            st.sampled_from([200, 304, 404, None]),
            st.sampled_from([0, 512, None]),
            st.sampled_from([None, "https://ref.example/"]),
            st.sampled_from(AGENTS),
        ),
        st.sampled_from(
            ["garbage", "", '203.0.113.1 - - [99/Foo/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1']
        ),
    ),
    max_size=30,
)
events = st.lists(
    st.one_of(
        st.tuples(
            st.integers(0, 3 * 24 * 3600),
            st.sampled_from(ZONES),
            st.sampled_from([None, *REFS, "U9999999"]),
            st.sampled_from([None, "s1", "s2"]),
            st.sampled_from(["invoices", "reports"]),
            st.sampled_from([None, 0, 1500]),
        ),
        st.sampled_from(["{not json", '{"ts": "2026-10-02T10:00:00", "feature": "x", "action": "y"}']),
    ),
    max_size=20,
)


def _log_text(lines: list[Any]) -> str:
    out = []
    for item in lines:
        if isinstance(item, str):
            out.append(item)
            continue
        seconds, zone, path, client, user, status, size, referrer, agent = item
        ts = (START + timedelta(seconds=seconds)).astimezone(zone)
        out.append(
            f'{client} - {user or "-"} [{ts:%d/%b/%Y:%H:%M:%S %z}] "GET {path} HTTP/1.1" '
            f'{status or "-"} {"-" if size is None else size} "{referrer or "-"}" "{agent or "-"}"'
        )
    return "".join(line + "\n" for line in out)


def _events_text(items: list[Any]) -> str:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
            continue
        seconds, zone, ref, session_id, feature, duration = item
        ts = (START + timedelta(seconds=seconds)).astimezone(zone)
        out.append(
            json.dumps(
                {
                    "ts": ts.isoformat(),
                    "user_ref": ref,
                    "session_id": session_id,
                    "feature": feature,
                    "action": "view",
                    "duration_ms": duration,
                }
            )
        )
    return "".join(line + "\n" for line in out)


def _day(ts: datetime) -> date:
    return ts.astimezone(UTC).date()


def _direct(
    session: Session,
) -> tuple[dict[Any, tuple[int, ...]], dict[Any, tuple[int, ...]], dict[Any, tuple[int, ...]]]:
    """Activity, feature and traffic rollups recomputed from the raw rows, independently of
    data_access.rollups."""
    log = session.execute(
        select(
            AccessLogEntry.id,
            AccessLogEntry.ts,
            AccessLogEntry.person_id,
            AccessLogEntry.client,
            AccessLogEntry.user_agent,
            AccessLogEntry.path,
            AccessLogEntry.status,
            AccessLogEntry.referrer,
            AccessLogEntry.bytes_sent,
        )
    ).all()
    evs = session.execute(
        select(
            UsageEvent.ts,
            UsageEvent.person_id,
            UsageEvent.session_id,
            UsageEvent.feature,
            UsageEvent.duration_ms,
        )
    ).all()
    activity: dict[Any, list[Any]] = defaultdict(lambda: [0, 0, set(), 0])
    for row in log:
        if row.person_id is not None:
            activity[(_day(row.ts), row.person_id)][0] += 1
    for ev in evs:
        if ev.person_id is not None:
            cell = activity[(_day(ev.ts), ev.person_id)]
            cell[1] += 1
            cell[3] += ev.duration_ms or 0
            if ev.session_id is not None:
                cell[2].add(ev.session_id)
    features: dict[Any, list[Any]] = defaultdict(lambda: [0, set(), 0])
    for ev in evs:
        cell = features[(_day(ev.ts), ev.feature)]
        cell[0] += 1
        cell[2] += ev.duration_ms or 0
        if ev.person_id is not None:
            cell[1].add(ev.person_id)
    traffic: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    last_of_visit: dict[Any, Any] = {}
    for row in log:
        day, sent = _day(row.ts), row.bytes_sent or 0
        agent = classify_user_agent(row.user_agent)
        for dimension, value in (
            ("status", "-" if row.status is None else str(row.status)),
            ("referrer", "(direct)" if row.referrer is None else row.referrer[:255]),
            ("page", "-" if row.path is None else row.path[:255]),
            ("browser", agent.browser),
            ("os", agent.os),
            ("device", agent.device),
        ):
            traffic[(day, dimension, value)][0] += 1
            traffic[(day, dimension, value)][1] += sent
        visit = (day, row.client, row.user_agent)
        if visit not in last_of_visit or (row.ts, row.id) > (
            last_of_visit[visit].ts,
            last_of_visit[visit].id,
        ):
            last_of_visit[visit] = row
    for (day, _, _), row in last_of_visit.items():
        traffic[(day, "exit_page", "-" if row.path is None else row.path[:255])][0] += 1
    return (
        {k: (v[0], v[1], len(v[2]), v[3]) for k, v in activity.items()},
        {k: (v[0], len(v[1]), v[2]) for k, v in features.items()},
        {k: (v[0], v[1]) for k, v in traffic.items()},
    )


def _stored(
    session: Session,
) -> tuple[dict[Any, tuple[int, ...]], dict[Any, tuple[int, ...]], dict[Any, tuple[int, ...]]]:
    a = ActivityDaily
    f = FeatureDaily
    t = TrafficDaily
    return (
        {
            (r.day, r.person_id): (r.requests, r.events, r.sessions, r.duration_ms)
            for r in session.execute(
                select(a.day, a.person_id, a.requests, a.events, a.sessions, a.duration_ms)
            )
        },
        {
            (r.day, r.feature): (r.events, r.users, r.duration_ms)
            for r in session.execute(select(f.day, f.feature, f.events, f.users, f.duration_ms))
        },
        {
            (r.day, r.dimension, r.value): (r.requests, r.bytes_sent)
            for r in session.execute(select(t.day, t.dimension, t.value, t.requests, t.bytes_sent))
        },
    )


def _check_counts(report: ImportReport) -> None:
    assert report.read == report.stored + report.rejected
    assert 0 <= report.duplicates <= report.rejected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first_log=access_lines,
    second_log=access_lines,
    repeat=st.booleans(),
    first_events=events,
    second_events=events,
)
def test_incremental_rollups_equal_a_direct_recomputation(
    engine: Engine,
    tmp_path: Path,
    first_log: list[Any],
    second_log: list[Any],
    repeat: bool,
    first_events: list[Any],
    second_events: list[Any],
) -> None:
    truncate_all(engine)
    with session_factory(engine)() as session:
        for ref in REFS:
            make_person(session).external_ref = ref
        make_person(session).username = "alice"
        session.commit()
        files = [
            ("a.log", _log_text(first_log)),
            ("b.log", _log_text(first_log if repeat else []) + _log_text(second_log)),
            ("a.jsonl", _events_text(first_events)),
            ("b.jsonl", _events_text(second_events)),
        ]
        reports = []
        for name, content in files:
            path = tmp_path / name
            path.write_text(content)
            ingest = ingest_events if name.endswith(".jsonl") else ingest_access_log
            reports.append(ingest(session=session, principal=MANAGER, path=path))
            session.commit()
        for report in reports:
            _check_counts(report)
        if repeat:
            assert reports[1].duplicates >= reports[0].stored
        listed = sum(r.rejected - r.duplicates for r in reports)
        assert session.scalar(select(func.count()).select_from(RejectedRow)) == listed
        assert (
            session.scalar(select(func.count()).select_from(AccessLogEntry))
            == reports[0].stored + reports[1].stored
        )
        activity, features, traffic = _stored(session)
        direct_activity, direct_features, direct_traffic = _direct(session)
        assert activity == direct_activity
        assert features == direct_features
        assert traffic == direct_traffic
        day_totals: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for (day, _), cells in direct_activity.items():
            total = day_totals[day]
            total[0] += 1
            for i, value in enumerate(cells):
                total[i + 1] += value
        t = ActivityDayTotal
        assert {
            r.day: [r.active_users, r.requests, r.events, r.sessions, r.duration_ms]
            for r in session.execute(
                select(t.day, t.active_users, t.requests, t.events, t.sessions, t.duration_ms)
            )
        } == dict(day_totals)
        first_days = dict(
            session.execute(select(ActivityFirstDay.person_id, ActivityFirstDay.first_day)).all()
        )
        assert first_days == {
            person: min(day for day, p in direct_activity if p == person) for _, person in direct_activity
        }
        assert (
            sum(v[0] for k, v in traffic.items() if k[1] == "status") == reports[0].stored + reports[1].stored
        )
