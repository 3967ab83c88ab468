"""Usage rollups: recomputed from raw rows for a range of days, or added to as new log lines are stored.

`rebuild_rollups` is the truth: the demo loader uses it, tests compare ingest and the bulk loader
(which counts as it generates) against it, and ingest falls back to it for days where it cannot tell
which lines were new.
When every line of a chunk was new, ingest instead adds the chunk's counts (`add_access_counts`), and for exit
pages, the one dimension where new lines change what old ones counted (a visit's last page), it
moves each visit it added to from its old exit page to its new one (`add_exit_page_changes`): no
pass over the stored lines.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    String,
    bindparam,
    column,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
    update,
    values,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement, ScalarSelect

from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    ActivityDayTotal,
    ActivityFirstDay,
    Base,
    FeatureDaily,
    TrafficDaily,
    UsageEvent,
)
from data_access.sql import add_counts, utc_day
from data_access.traffic_dimensions import VALUE_MAX, traffic_dimensions
from data_access.types import UTCDateTime

STATIC_PREFIXES = ("/assets/", "/static/", "/favicon")


Bound = datetime | None


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time(), tzinfo=UTC),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC),
    )


def _in_range(column: Any, lo: Bound, hi: Bound) -> list[ColumnElement[bool]]:
    return [] if lo is None or hi is None else [column >= lo, column < hi]


def rebuild_rollups(*, session: Session, first: date | None = None, last: date | None = None) -> None:
    """Replace every rollup row for days first..last (inclusive) by a recomputation from raw rows.

    Without a range everything is rebuilt with plain table scans, which for a bulk load is
    much faster than walking the timestamp index.
    """
    for table in (ActivityDaily, TrafficDaily, FeatureDaily):
        stale = delete(table)
        session.execute(stale.where(table.day.between(first, last)) if first and last else stale)
    lo, hi = _bounds(first, last) if first and last else (None, None)
    _activity(session, lo, hi)
    refresh_day_totals(session, first, last)
    rebuild_first_days(session, first, last)
    _features(session, lo, hi)
    _traffic(session, lo, hi)
    session.flush()


def rebuild_rollups_not_counted(session: Session) -> None:
    """After a bulk load that wrote activity_daily and traffic_daily's counts as it generated the rows
    (dashboard.demo.bulk): the rest of rebuild_rollups, from every raw row (day totals, first days, features,
    exit pages)."""
    refresh_day_totals(session)
    rebuild_first_days(session)
    _features(session, None, None)
    _exit_pages(session, None, None)
    session.flush()


def _activity(session: Session, lo: Bound, hi: Bound) -> None:
    log, ev = AccessLogEntry, UsageEvent
    requests = select(
        utc_day(log.ts).label("day"),
        log.person_id.label("person_id"),
        literal(1).label("req"),
        literal(0).label("ev"),
        null().label("session_id"),
        literal(0).label("dur"),
    ).where(log.person_id.is_not(None), *_in_range(log.ts, lo, hi))
    events = select(
        utc_day(ev.ts), ev.person_id, literal(0), literal(1), ev.session_id, func.coalesce(ev.duration_ms, 0)
    ).where(ev.person_id.is_not(None), *_in_range(ev.ts, lo, hi))
    both = union_all(requests, events).subquery()
    grouped = select(
        both.c.day,
        both.c.person_id,
        func.sum(both.c.req),
        func.sum(both.c.ev),
        func.count(both.c.session_id.distinct()),
        func.sum(both.c.dur),
    ).group_by(both.c.day, both.c.person_id)
    session.execute(
        insert(ActivityDaily).from_select(
            ["day", "person_id", "requests", "events", "sessions", "duration_ms"], grouped
        )
    )


def refresh_day_totals(session: Session, first: date | None = None, last: date | None = None) -> None:
    """Recompute activity_day_totals for days first..last (every day without a range) from activity_daily."""
    t, a = ActivityDayTotal, ActivityDaily
    ranged = first is not None and last is not None
    session.execute(delete(t).where(t.day.between(first, last)) if ranged else delete(t))
    session.execute(
        insert(t).from_select(
            list(DAY_SUM_COLUMNS), day_sums(*([a.day.between(first, last)] if ranged else []))
        )
    )


DAY_SUM_COLUMNS = ("day", "active_users", "requests", "events", "sessions", "duration_ms")


def day_sums(*conditions: ColumnElement[bool]) -> Select[date, int, int, int, int, int]:
    """activity_daily summed per day over the rows meeting `conditions` (DAY_SUM_COLUMNS): what
    activity_day_totals holds for everyone, and what the Usage page computes for one country."""
    a = ActivityDaily
    return (
        select(
            a.day,
            func.count().label("active_users"),
            func.sum(a.requests).label("requests"),
            func.sum(a.events).label("events"),
            func.sum(a.sessions).label("sessions"),
            func.sum(a.duration_ms).label("duration_ms"),
        )
        .where(*conditions)
        .group_by(a.day)
    )


def subtract_from_day_totals(session: Session, person_id: int) -> None:
    """Take one person's activity out of activity_day_totals, before erasure deletes their
    activity_daily rows:
    one update per day they were active, instead of recomputing those days over everyone."""
    a, t = ActivityDaily, Base.metadata.tables[ActivityDayTotal.__tablename__]
    rows = session.execute(
        select(a.day, a.requests, a.events, a.sessions, a.duration_ms).where(a.person_id == person_id)
    ).all()
    if not rows:
        return
    session.execute(
        update(t)
        .where(t.c.day == bindparam("d"))
        .values(
            active_users=t.c.active_users - 1,
            requests=t.c.requests - bindparam("r"),
            events=t.c.events - bindparam("e"),
            sessions=t.c.sessions - bindparam("s"),
            duration_ms=t.c.duration_ms - bindparam("ms"),
        ),
        [{"d": day, "r": r, "e": e, "s": s_, "ms": ms} for day, r, e, s_, ms in rows],
    )
    session.execute(delete(t).where(t.c.active_users <= 0, t.c.day.in_([row.day for row in rows])))


def rebuild_first_days(session: Session, first: date | None = None, last: date | None = None) -> None:
    """activity_first_day for the people active in first..last (everyone without a range). An earlier first
    day already stored is kept: raw lines are only ever added, never taken away (erasure drops the person)."""
    a = ActivityDaily
    earliest = select(a.person_id, func.min(a.day)).group_by(a.person_id)
    if first is None or last is None:
        session.execute(delete(ActivityFirstDay))
        session.execute(insert(ActivityFirstDay).from_select(["person_id", "first_day"], earliest))
        return
    rows = session.execute(earliest.where(a.day.between(first, last))).all()
    keep_earliest_first_days(session, {person: day for person, day in rows})


FIRST_DAYS_PER_STATEMENT = 1_000  # people per IN list


def recompute_first_days_of(session: Session, person_ids: Collection[int]) -> None:
    """activity_first_day recomputed for these people only, for when lines were taken away (the
    benchmark takes its import out again): rebuilding everyone's rewrote a million rows, which
    PostgreSQL then had to vacuum."""
    a, f = ActivityDaily, ActivityFirstDay
    ids = sorted(person_ids)
    for start in range(0, len(ids), FIRST_DAYS_PER_STATEMENT):
        chunk = ids[start : start + FIRST_DAYS_PER_STATEMENT]
        session.execute(delete(f).where(f.person_id.in_(chunk)))
        session.execute(
            insert(f).from_select(
                ["person_id", "first_day"],
                select(a.person_id, func.min(a.day)).where(a.person_id.in_(chunk)).group_by(a.person_id),
            )
        )


def keep_earliest_first_days(session: Session, first_days: Mapping[int, date]) -> None:
    """Store each person's first day unless an earlier one is stored.

    Rows whose stored day is not later are left alone, not rewritten with their own value: on PostgreSQL every
    rewrite is a new row version, and an ingest names the same people chunk after chunk (402,942
    dead rows after the benchmark's imports, which the Usage page then read through: 105,251 heap
    fetches, 0.17 s cold)."""
    if not first_days:
        return
    insert_for = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    add = insert_for(ActivityFirstDay)
    session.execute(
        add.on_conflict_do_update(
            index_elements=["person_id"],
            set_={"first_day": add.excluded.first_day},
            where=ActivityFirstDay.first_day > add.excluded.first_day,
        ),
        [{"person_id": person, "first_day": day} for person, day in first_days.items()],
    )


def _features(session: Session, lo: Bound, hi: Bound) -> None:
    ev = UsageEvent
    grouped = (
        select(
            utc_day(ev.ts),
            ev.feature,
            func.count(),
            func.count(ev.person_id.distinct()),
            func.coalesce(func.sum(ev.duration_ms), 0),
        )
        .where(*_in_range(ev.ts, lo, hi))
        .group_by(utc_day(ev.ts), ev.feature)
    )
    session.execute(
        insert(FeatureDaily).from_select(["day", "feature", "events", "users", "duration_ms"], grouped)
    )


def _traffic(session: Session, lo: Bound, hi: Bound) -> None:
    """Status, referrer, page, browser, OS and device in one pass over the lines: grouped by day and
    the four raw values in SQL, expanded into dimensions here (user agents are classified by a
    library, once per group)."""
    log = AccessLogEntry
    referrer, path = func.substr(log.referrer, 1, VALUE_MAX), func.substr(log.path, 1, VALUE_MAX)
    rows = session.execute(
        select(
            utc_day(log.ts),
            log.status,
            referrer,
            path,
            log.user_agent,
            func.count(),
            func.coalesce(func.sum(log.bytes_sent), 0),
        )
        .where(*_in_range(log.ts, lo, hi))
        .group_by(utc_day(log.ts), log.status, referrer, path, log.user_agent)
    )
    totals: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for day, status, referrer_value, path_value, agent, count, sent in rows:
        for dimension, value in traffic_dimensions(status, referrer_value, path_value, agent):
            cell = totals[(day, dimension, value)]
            cell[0] += int(count)
            cell[1] += int(sent or 0)
    if totals:
        session.execute(
            insert(TrafficDaily),
            [
                {"day": d, "dimension": dim, "value": v, "requests": c[0], "bytes_sent": c[1]}
                for (d, dim, v), c in totals.items()
            ],
        )
    _exit_pages(session, lo, hi)


def add_access_counts(
    session: Session,
    traffic: Mapping[tuple[date, str, str], Sequence[int]],
    activity: Mapping[tuple[date, int], int],
) -> None:
    """Add the counts of newly stored access-log lines to traffic_daily (every dimension but exit pages) and
    to activity_daily's requests. The counts are derived as the SQL below derives them
    (dashboard.ingest.prepare_access), so a later rebuild gives the same rows."""
    add_counts(
        session,
        TrafficDaily.__table__,  # type: ignore[arg-type]
        ["day", "dimension", "value"],
        ["requests", "bytes_sent"],
        [
            {"day": d, "dimension": dim, "value": v, "requests": c[0], "bytes_sent": c[1]}
            for (d, dim, v), c in traffic.items()
        ],
    )
    if activity:
        add_counts(
            session,
            ActivityDaily.__table__,  # type: ignore[arg-type]
            ["day", "person_id"],
            ["requests"],
            [
                {"day": d, "person_id": p, "requests": n, "events": 0, "sessions": 0, "duration_ms": 0}
                for (d, p), n in activity.items()
            ],
        )
        days = [day for day, _ in activity]
        refresh_day_totals(session, min(days), max(days))  # new (day, person) rows change the active count
        earliest: dict[int, date] = {}
        for day, person in activity:
            earliest[person] = min(day, earliest.get(person, day))
        keep_earliest_first_days(session, earliest)


Visit = tuple[date, str, str | None]  # UTC day, client, user agent: what _exit_pages partitions by
VISITS_PER_STATEMENT = 1_000


def add_exit_page_changes(session: Session, visits: Collection[Visit], stored_through_id: int) -> None:
    """Keep exit pages current after lines were added to `visits`, every added line with an id above
    `stored_through_id` and every older line of the visits at or below it (ids grow as lines are stored).

    A visit's exit page before is the path of its last line among the older ones (none for a new
    visit); after, of its last line among all. The one before loses a visit and the one after gains
    it, so the result is what _exit_pages computes from all lines, at the cost of two seeks on
    (client, ts) per visit instead of a pass over every line of the days touched."""
    delta: Counter[tuple[date, str, str]] = Counter()
    ordered = sorted(visits, key=lambda v: (v[0], v[1], v[2] or ""))
    for start in range(0, len(ordered), VISITS_PER_STATEMENT):
        for day, before, after in session.execute(
            _visit_exits(ordered[start : start + VISITS_PER_STATEMENT], stored_through_id)
        ):
            if after is not None and before != after:  # after is None only past the visits (_visit_exits)
                if before is not None:
                    delta[(day, "exit_page", before)] -= 1
                delta[(day, "exit_page", after)] += 1
    if not delta:
        return
    add_access_counts(session, {key: (change, 0) for key, change in delta.items() if change}, {})
    days = [day for day, _, _ in delta]
    session.execute(
        delete(TrafficDaily).where(
            TrafficDaily.dimension == "exit_page",
            TrafficDaily.requests == 0,
            TrafficDaily.day.between(min(days), max(days)),
        )
    )


def _visit_exits(
    visits: Sequence[Visit], stored_through_id: int, rows: int = VISITS_PER_STATEMENT
) -> Select[date, str | None, str | None]:
    """(day, exit page among the lines up to stored_through_id, exit page among all lines) per visit.

    One statement text whatever the visits, so that SQLite prepares it once and its statement cache (128 per
    connection) holds it once: each text it was given took 0.8 MB there, 90 MB after 300k log lines (issue 23
    item 2). So the VALUES list always has `rows` rows (or as many as the visits, if more), those
    past the visits empty ranges (lo = hi) that match no line and answer (day, None, None); and an
    agent is always a bound parameter (a bare None was written NULL into the text)."""
    data = [(day, *_bounds(day, day), client, literal(agent, String())) for day, client, agent in visits]
    if data:
        day, lo = data[0][0], data[0][1]
        data += [(day, lo, lo, "", literal(None, String())) for _ in range(rows - len(data))]
    v = (
        values(
            column("day", Date()),
            column("lo", UTCDateTime()),
            column("hi", UTCDateTime()),
            column("client", String()),
            column("agent", String()),
            name="visits",
        )
        .data(data)
        .cte("visits")
    )  # SQLite: a CTE

    def last_path(older_only: bool) -> ScalarSelect[str]:
        log = aliased(AccessLogEntry)
        older = [log.id <= stored_through_id] if older_only else []
        return (
            select(func.coalesce(func.substr(log.path, 1, VALUE_MAX), "-"))
            .where(
                log.client == v.c.client,
                log.ts >= v.c.lo,
                log.ts < v.c.hi,
                log.user_agent.is_not_distinct_from(v.c.agent),
                *older,
            )
            .order_by(log.ts.desc(), log.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return select(v.c.day, last_path(older_only=True), last_path(older_only=False))


def _exit_pages(session: Session, lo: Bound, hi: Bound) -> None:
    """The last page of each visit, a visit being one client and user agent on one day."""
    log = AccessLogEntry
    day = utc_day(log.ts)
    ranked = (
        select(
            day.label("day"),
            log.path.label("path"),
            func.row_number()
            .over(partition_by=(day, log.client, log.user_agent), order_by=(log.ts.desc(), log.id.desc()))
            .label("rn"),
        )
        .where(*_in_range(log.ts, lo, hi))
        .subquery()
    )
    value = func.coalesce(func.substr(ranked.c.path, 1, VALUE_MAX), "-")
    grouped = (
        select(ranked.c.day, literal("exit_page"), value, func.count(), literal(0))
        .where(ranked.c.rn == 1)
        .group_by(ranked.c.day, value)
    )
    session.execute(
        insert(TrafficDaily).from_select(["day", "dimension", "value", "requests", "bytes_sent"], grouped)
    )
