"""Demo data at scale (issue 3): a million people and twenty million log lines in minutes.

The per-person tables are generated in chunks and streamed straight into the database
(COPY on PostgreSQL, raw executemany on SQLite), never held in memory whole. Chunks are generated
in worker processes (dashboard.imports.worker_pool) while this one writes, and the workers count the
activity and traffic rollups as they go; each chunk draws from its own seeded generator, so the data is
the same however many processes made it. Names come from pools
drawn once from Faker, because calling Faker a million times is the slow part. Registers and
requests, which do not grow with every person, reuse the small-demo builders on a sample of the people.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine

from dashboard.demo.activity import BOT_AGENT, FEATURE_WEIGHTS, FEATURES, REFERRERS, USER_AGENTS
from dashboard.demo.bulk_people import PeopleChunk, people_chunk
from dashboard.demo.context import DemoContext, default_end
from dashboard.demo.generate import TABLE_ORDER, DatabaseNotEmpty, database_is_empty
from dashboard.demo.registers import build_registers
from dashboard.demo.requests import build_requests
from dashboard.demo.staff import demo_staff_rows
from dashboard.imports.worker_pool import map_in_order
from data_access.activity_staging import (
    ACTIVITY_COLUMNS,
    ACTIVITY_STAGING,
    create_activity_staging,
    move_staged_activity,
)
from data_access.bulk import (
    bulk_load_transaction,
    fast_copy,
    indexes_built_after,
    insert_rows,
    refresh_planner_statistics,
    reset_sequences,
    search_index_rebuilt_after,
    timestamp_writer,
    tune_for_bulk_load,
    vacuum_after_bulk_load,
)
from data_access.opt_out_sends import refresh_opt_out_sends
from data_access.optout_honour import rebuild_optout_honour
from data_access.partitions import ensure_month_partitions, months_between
from data_access.preference_flow import rebuild_preference_flow
from data_access.rollups import add_access_counts, rebuild_rollups_not_counted
from data_access.traffic_dimensions import TrafficCounts, TrafficTotals, count_traffic

CHUNK_PEOPLE = (
    5_000  # ~100k log lines: a chunk's rows are held whole in a worker and here, so they bound memory
)
# SQLite's page cache, and roughly each sort's memory (data_access.bulk.tune_for_bulk_load). At 1M people with
# 256 MB the load peaked at 1092 MB (rollups); at 100k people 128 MB took 634 MB against 922 MB,
# same CPU time.
BULK_CACHE_MB = 128
SAMPLE_PEOPLE = 5_000
LOG_COLUMNS = (
    "ts",
    "client",
    "method",
    "path",
    "query",
    "protocol",
    "status",
    "bytes_sent",
    "referrer",
    "user_agent",
    "person_id",
    "line_key",
)
EVENT_COLUMNS = ("ts", "person_id", "session_id", "feature", "action", "duration_ms", "event_key")


@dataclass
class BulkSummary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def load_bulk(
    engine: Engine,
    *,
    users: int,
    log_lines: int,
    events: int,
    days: int = 365,
    seed: int = 7,
    end: datetime | None = None,
) -> BulkSummary:
    """Stream a large dataset into an empty database in one transaction."""
    end = end or default_end()
    summary = BulkSummary()
    ctx = DemoContext(seed=seed, n_users=users, days=days, end=end)
    started = time.perf_counter()
    with bulk_load_transaction(engine) as session:
        if not database_is_empty(session):
            raise DatabaseNotEmpty(
                "the database already holds people; bulk demo data goes only into an empty one"
            )
        tune_for_bulk_load(session, BULK_CACHE_MB, temp_in_memory=False)
        ensure_month_partitions(session, months_between(ctx.start.date(), ctx.end.date()))
        sample_every = max(1, users // SAMPLE_PEOPLE)
        spec = _ChunkSpec(
            seed, users, days, end, log_lines / users, events / users, session.get_bind().dialect.name
        )
        ranges = (
            (first, min(users, first + CHUNK_PEOPLE - 1)) for first in range(1, users + 1, CHUNK_PEOPLE)
        )
        traffic = TrafficTotals()
        create_activity_staging(session)
        with indexes_built_after(session, TABLE_ORDER), search_index_rebuilt_after(session):
            for generated in map_in_order(_generate_chunk, ranges, _workers(), spec):  # a chunk: ~200k rows
                tables = {
                    **generated.people.tables,
                    "access_log": (LOG_COLUMNS, generated.logs),
                    "usage_events": (EVENT_COLUMNS, generated.events),
                    ACTIVITY_STAGING: (ACTIVITY_COLUMNS, generated.activity),
                }
                for table, (columns, rows) in tables.items():
                    summary.counts[table] = summary.counts.get(table, 0) + fast_copy(
                        session, table, columns, rows
                    )
                ctx.people.extend(p for p in generated.people.people if p.id % sample_every == 0)
                traffic.add(generated.traffic)
            summary.seconds["people_and_activity"] = time.perf_counter() - started
        summary.seconds["indexes"] = time.perf_counter() - started - summary.seconds["people_and_activity"]
        with _timed(summary, "other_entities"):
            _small_entities(session, ctx, summary)
            reset_sequences(session, TABLE_ORDER)
        with _timed(summary, "analyze"):
            refresh_planner_statistics(session)  # the joins below plan on the loaded tables' real sizes
        with _timed(summary, "rollups"):
            add_access_counts(session, traffic.totals, {})
            move_staged_activity(session)
            rebuild_rollups_not_counted(session)
            rebuild_preference_flow(session)
            rebuild_optout_honour(session)
        with _timed(summary, "opt_out_sends"):
            refresh_opt_out_sends(session)
        mark = time.perf_counter()
        refresh_planner_statistics(session)  # again, for the rollup tables just written
    vacuum_after_bulk_load(
        engine, skip=("access_log", "usage_events")
    )  # read through rollups, not index-only
    summary.seconds["analyze_commit_vacuum"] = time.perf_counter() - mark
    summary.seconds["total"] = time.perf_counter() - started
    return summary


@contextmanager
def _timed(summary: BulkSummary, phase: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    summary.seconds[phase] = time.perf_counter() - started


@dataclass(frozen=True)
class _ChunkSpec:
    """What a worker needs to generate any chunk: small, so it is cheap to send with every chunk."""

    seed: int
    users: int
    days: int
    end: datetime
    lines_per_person: float
    events_per_person: float
    dialect: str


@dataclass
class _GeneratedChunk:
    people: PeopleChunk
    logs: list[tuple[Any, ...]]  # LOG_COLUMNS
    events: list[tuple[Any, ...]]  # EVENT_COLUMNS
    activity: list[
        tuple[Any, ...]
    ]  # ACTIVITY_COLUMNS: the chunk's people are nobody else's, so these are final
    traffic: TrafficCounts  # what the chunk's lines add to traffic_daily (all but exit pages)


def _generate_chunk(first: int, last: int, spec: _ChunkSpec) -> _GeneratedChunk:
    """People first..last with their log lines, events and rollup counts, in the engine's form (runs
    in a worker).

    The counts are the ones rollups.rebuild_rollups computes from the rows
    (tests/data_access/test_bulk_demo.py compares the two); counting here, in parallel, replaces two
    passes over 25M rows at the end of the load."""
    ctx, ts = _worker_context(spec.seed, spec.users, spec.days, spec.end), timestamp_writer(spec.dialect)
    chunk = people_chunk(ctx, first, last, ts)
    logs, events = _activity_rows(ctx, chunk, (spec.lines_per_person, spec.events_per_person), ts)
    log_rows = list(logs)
    return _GeneratedChunk(
        chunk,
        log_rows,
        events,
        _activity_counts(log_rows, events, spec.dialect),
        count_traffic((_day(row[0]), row[6], row[8], row[3], row[9], row[7]) for row in log_rows),
    )


def _day(value: Any) -> date:
    """The UTC day of a timestamp in the engine's form (SQLite: naive-UTC text; PostgreSQL: an aware
    datetime)."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value.astimezone(UTC).date()


def _activity_counts(
    logs: list[tuple[Any, ...]], events: list[tuple[Any, ...]], dialect: str
) -> list[tuple[Any, ...]]:
    """activity_daily rows as rollups._activity computes them: requests (linked lines), events,
    distinct sessions and event duration per person and day."""
    cells: dict[tuple[date, int], list[Any]] = {}
    for row in logs:
        if row[10] is not None:
            cells.setdefault((_day(row[0]), row[10]), [0, 0, set(), 0])[0] += 1
    for ts_value, person, session_id, _feature, _action, duration, _key in events:
        cell = cells.setdefault((_day(ts_value), person), [0, 0, set(), 0])
        cell[1] += 1
        if session_id is not None:
            cell[2].add(session_id)
        cell[3] += duration or 0
    as_day = (lambda d: d.isoformat()) if dialect == "sqlite" else (lambda d: d)
    return [
        (as_day(day), person, requests, count, len(sessions), duration)
        for (day, person), (requests, count, sessions, duration) in cells.items()
    ]


def _workers() -> int:
    """Generator processes, one per core. On PostgreSQL that was slower while this process only
    generated rows (a twentieth of the scale: 15 s in one process, 20 s with two), as the server's
    own process needs a core too; since the workers also count the rollups it is faster there as
    well (25 -> 22 s)."""
    return os.cpu_count() or 1


@lru_cache(maxsize=2)
def _worker_context(seed: int, users: int, days: int, end: datetime) -> DemoContext:
    return DemoContext(
        seed=seed, n_users=users, days=days, end=end
    )  # built once per worker: Faker is slow to start


def _activity_rows(
    ctx: DemoContext, chunk: PeopleChunk, per_person: tuple[float, float], ts: Any
) -> tuple[Iterator[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Visits of each person in the chunk: ~per_person[0] log lines and ~per_person[1] events each."""
    rng = random.Random(ctx.seed * 1_000_003 + chunk.first_id)
    span = int(timedelta(days=ctx.days).total_seconds())
    start = ctx.start
    features, feature_weights = list(FEATURES), FEATURE_WEIGHTS
    event_rows: list[tuple[Any, ...]] = []
    lines_per_visit = 5
    visits_mean = per_person[0] / lines_per_visit

    def logs() -> Iterator[tuple[Any, ...]]:
        if visits_mean <= 0:  # `--log-lines 0`: people only (the search benchmark needs no activity)
            return
        for pid in range(chunk.first_id, chunk.last_id + 1):
            agent = USER_AGENTS[pid % len(USER_AGENTS)]
            ip = f"198.51.{pid % 250}.{rng.randint(1, 254)}"
            for visit in range(max(1, round(rng.expovariate(1 / visits_mean)))):
                moment = start + timedelta(seconds=rng.randrange(span))
                key = f"b{pid}-{visit}"
                referrer = REFERRERS[rng.randrange(len(REFERRERS))]
                for step, path in enumerate(("/login", "/dashboard", "/invoices", "/customers", "/logout")):
                    at = moment + timedelta(seconds=step * 40)
                    yield (
                        ts(at),
                        ip,
                        "GET",
                        path,
                        f"uid=U{pid:07d}" if step else None,
                        "HTTP/1.1",
                        200 if rng.random() < 0.96 else 404,
                        900 + step * 311,
                        referrer if step == 0 else "https://app.interfacebilling.example/dashboard",
                        agent,
                        pid if step else None,
                        f"{key}-{step}",
                    )
                if rng.random() < per_person[1] / max(visits_mean, 1e-9) / 1.5:
                    session_id = f"s{pid}-{visit}"
                    for n, feature in enumerate(rng.choices(features, feature_weights, k=rng.randint(1, 2))):
                        event_rows.append(
                            (
                                ts(moment + timedelta(seconds=60 + n * 30)),
                                pid,
                                session_id,
                                feature,
                                FEATURES[feature][0],
                                rng.randint(2_000, 600_000),
                                f"{key}-e{n}",
                            )
                        )
            if pid % 10 == 0:  # anonymous visitors and crawlers
                moment = start + timedelta(seconds=rng.randrange(span))
                yield (
                    ts(moment),
                    f"203.0.113.{pid % 254 + 1}",
                    "GET",
                    "/pricing",
                    None,
                    "HTTP/1.1",
                    200,
                    5120,
                    None,
                    BOT_AGENT if pid % 50 == 0 else agent,
                    None,
                    f"a{pid}",
                )

    # `event_rows` fills while the log generator is consumed; the caller copies logs first, then events.
    return logs(), event_rows


def _small_entities(session: Any, ctx: DemoContext, summary: BulkSummary) -> None:
    """Registers, requests and staff from the small-demo builders, over the sampled people."""
    rows = build_registers(ctx, [p.id for p in ctx.people if p.id % 3 == 0])
    rows |= build_requests(ctx)
    rows["staff_accounts"] = demo_staff_rows()
    for table in TABLE_ORDER:
        if table in rows:
            summary.counts[table] = insert_rows(session, table, rows[table])
