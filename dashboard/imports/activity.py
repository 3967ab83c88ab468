"""Ingest HTTP access logs and product usage events: every line stored or rejected, never twice,
rollups kept current.

Counts: read = stored + rejected, always; `duplicates` are the rejected lines that were already stored
(same line_key / event_key), counted but not written again as rejected rows. Other rejections are
recorded in `rejected_rows` with their line number and reason.

Linking (the rule of dashboard.ingest.url_identity): a line is tied to a person when its URL carries
their user id (people.external_ref) or a persistent identifier they hold (Google ID, cookie id), or when
the log's authenticated user is their username. Events are tied by user_ref = the person's user id.

Identical lines in one file are told apart by their occurrence (access_log_parser.line_key); occurrences
are counted within a window of WINDOW distinct lines, each held as a 16-byte digest, so memory stays flat on
files of any length (two identical lines further apart than that are taken for one: the second is counted as a
duplicate).

Memory (issue 23 item 2): a line longer than 64 KiB is rejected by number without being held, a file stops at
COMPLIANCE_MAX_INPUT_BYTES unpacked, the first ERRORS_KEPT rejections are kept (all are counted),
rollup counts are written every PENDING_COUNTS_MAX keys, and SQLite's page cache is held to
INGEST_CACHE_MB.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date
from hashlib import blake2b
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.imports.batches import close_batch, open_batch
from dashboard.imports.report import ImportReport, RowError
from dashboard.imports.worker_pool import map_in_order
from dashboard.ingest.access_log_parser import LineRejected, iter_lines
from dashboard.ingest.event_parser import UsageEventRow, event_key, iter_events
from dashboard.ingest.prepare_access import (
    ACCESS_COLUMNS,
    Identity,
    PreparedAccessChunk,
    prepare_access_chunk,
)
from dashboard.settings import get_settings
from data_access.activity_repo import (
    add_url_pii_findings,
    last_access_line_id,
    line_keys_stored_by,
    people_by_identifier,
    people_by_ref,
    people_by_username,
)
from data_access.bulk import (
    insert_ignoring_conflicts,
    insert_values_ignoring_conflicts,
    skip_foreign_key_checks,
    tune_for_bulk_load,
)
from data_access.locks import hold_import_lock
from data_access.models import AccessLogEntry, UsageEvent
from data_access.partitions import ensure_month_partitions, month_start
from data_access.rollups import add_access_counts, add_exit_page_changes, rebuild_rollups
from data_access.traffic_dimensions import TrafficCounts, TrafficTotals
from data_access.user_agents import load_parser as load_user_agent_parser

CHUNK = 5_000
WINDOW = 200_000
# Files from this size on (about two chunks) are parsed in worker processes, one per core, while this process
# writes: measured on 2 cores, 20k lines went 20k -> 26k lines/s, 200k lines 21k -> 35k lines/s.
PARALLEL_FROM_BYTES = 2 * 2**20
Progress = Callable[[int], None]
Chunk = TypeVar("Chunk", PreparedAccessChunk, list[Any])


class _PersonLookup:
    """Identifiers (user id, Google ID or cookie id, authenticated user) -> person id, remembered for the run.

    A log names the same users chunk after chunk: each value is looked up once (one query per kind for the
    values a chunk adds), and values that match no one are remembered too. At most CACHE_MAX values per kind
    are kept; past that the kind starts afresh, so memory stays flat on logs with millions of cookie ids."""

    CACHE_MAX = 200_000

    def __init__(self) -> None:
        self.by_ref: dict[str, int | None] = {}
        self.by_identifier: dict[str, int | None] = {}
        self.by_name: dict[str, int | None] = {}

    def resolve(self, session: Session, identities: list[Identity]) -> list[int | None]:
        self._learn(session, self.by_ref, {i[0] for i in identities if i[0]}, people_by_ref)
        self._learn(
            session,
            self.by_identifier,
            {v for i in identities for v in (i[1], i[2]) if v},
            people_by_identifier,
        )
        self._learn(session, self.by_name, {i[3] for i in identities if i[3]}, people_by_username)
        return [self._person(identity) for identity in identities]

    @classmethod
    def _learn(
        cls,
        session: Session,
        known: dict[str, int | None],
        values: set[str],
        lookup: Callable[[Session, set[str]], dict[str, int]],
    ) -> None:
        new = values - known.keys()
        if not new:
            return
        if len(known) + len(new) > cls.CACHE_MAX:
            known.clear()
            new = values  # the chunk's values known before were forgotten with the rest
        found = lookup(session, new)
        known.update({value: found.get(value) for value in new})

    def _person(self, identity: Identity) -> int | None:
        user_ref, google_id, cookie_id, authuser = identity
        for value, index in (
            (user_ref, self.by_ref),
            (google_id, self.by_identifier),
            (cookie_id, self.by_identifier),
            (authuser, self.by_name),
        ):
            if value and index.get(value) is not None:
                return index[value]
        return None


@dataclass
class _DayRange:
    first: date | None = None
    last: date | None = None

    def add(self, first: date, last: date) -> None:
        self.first = first if self.first is None or first < self.first else self.first
        self.last = last if self.last is None or last > self.last else self.last


@dataclass
class _Run:
    report: ImportReport
    batch_id: int
    stored_through_id: int  # access_log lines up to this id were in the exit pages before the pending visits
    rebuild: _DayRange = field(default_factory=_DayRange)  # days whose rollups are recomputed from raw rows
    months: set[date] = field(default_factory=set)
    # Counts of all-new chunks, added to the rollups in one statement per table rather than one per chunk.
    traffic: TrafficTotals = field(default_factory=TrafficTotals)
    activity: Counter[tuple[date, int]] = field(default_factory=Counter)
    visits: set[tuple[int, str, str | None]] = field(default_factory=set)  # (day ordinal, client, user agent)
    people: _PersonLookup = field(default_factory=_PersonLookup)

    def count(
        self,
        traffic: TrafficCounts,
        activity: Counter[tuple[date, int]],
        visits: set[tuple[int, str, str | None]],
    ) -> None:
        self.traffic.add(traffic)
        self.activity.update(activity)
        self.visits |= visits

    def pending(self) -> int:
        return len(self.traffic) + len(self.activity) + len(self.visits)

    def flush_counts(self, session: Session) -> None:
        add_access_counts(session, self.traffic.totals, self.activity)
        if self.visits:
            add_exit_page_changes(
                session,
                [(date.fromordinal(day), client, agent) for day, client, agent in self.visits],
                self.stored_through_id,
            )
            self.stored_through_id = last_access_line_id(session)
        self.traffic, self.activity, self.visits = TrafficTotals(), Counter(), set()


PENDING_COUNTS_MAX = 20_000  # rollup keys and visits held before they are written (memory stays bounded)
INGEST_CACHE_MB = 64  # SQLite's page cache during ingest: the CLI itself takes ~75 MB, the target is 300 MB


def ingest_access_log(
    *,
    session: Session,
    principal: Principal,
    path: Path,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Read one plain or gzip log file into access_log; the caller commits. SourceReadError if unreadable.

    `workers` processes parse while this one writes (default: one per core for large files, none for
    small)."""
    dialect = session.get_bind().dialect.name
    if workers is None:
        workers = (os.cpu_count() or 1) if _size(path) >= PARALLEL_FROM_BYTES else 1
    if workers > 1:
        load_user_agent_parser()
    raw = _raw_chunks(path, get_settings().max_input_bytes)
    chunks = map_in_order(prepare_access_chunk, raw, workers, dialect)
    return _ingest(session, principal, path, "access_log", chunks, _store_access, progress)


def ingest_events(
    *, session: Session, principal: Principal, path: Path, progress: Progress | None = None
) -> ImportReport:
    """Read one CSV or JSON-lines events file into usage_events; the caller commits."""
    chunks = _event_chunks(path, get_settings().max_input_bytes)
    return _ingest(session, principal, path, "usage_events", chunks, _store_events, progress)


def _ingest(
    session: Session,
    principal: Principal,
    path: Path,
    kind: str,
    chunks: Iterator[Chunk],
    store: Callable[[Session, _Run, Chunk], None],
    progress: Progress | None,
) -> ImportReport:
    require(principal.role, "import.run")
    hold_import_lock(
        session
    )  # rollups are moved and recomputed: one import at a time (DatabaseBusy if another runs)
    tune_for_bulk_load(
        session, INGEST_CACHE_MB
    )  # SQLite: a page cache for four indexes, within the memory target
    skip_foreign_key_checks(
        session
    )  # SQLite: every key this import writes it read itself under the write lock
    report = ImportReport(source=str(path), duplicates_listed=False)
    batch = open_batch(session=session, kind=kind, source=str(path), digest="", principal=principal)
    run = _Run(report, batch.id, last_access_line_id(session))
    for chunk in chunks:
        report.read += len(chunk)
        store(session, run, chunk)
        if run.pending() > PENDING_COUNTS_MAX:
            run.flush_counts(session)
        if progress is not None:
            progress(len(chunk))
    run.flush_counts(session)  # before any rebuild, which recomputes its days from every stored line
    if run.rebuild.first is not None and run.rebuild.last is not None:
        rebuild_rollups(
            session=session, first=run.rebuild.first, last=run.rebuild.last
        )  # only the days touched
    close_batch(session=session, batch=batch, report=report)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=f"import.{kind}",
        object_type="import_batch",
        object_id=batch.id,
        details=report.counts(),
    )
    return report


def _raw_chunks(path: Path, max_bytes: int) -> Iterator[tuple[int, list[bytes | None], list[int]]]:
    """(first line number, lines, occurrence of each line) per chunk: occurrences are counted here,
    in file order, because a line's key depends on how often the same line came before it
    (access_log_parser.line_key). A line over the length cap comes as None (rejected by number);
    past `max_bytes` unpacked, InputTooLarge."""
    occurrences: dict[bytes, int] = {}
    first, raws, counts = 1, list[bytes | None](), list[int]()
    for number, raw in iter_lines(path, max_bytes=max_bytes):
        if not raws:
            first = number
        if raw is None:
            seen = 0
        else:
            if len(occurrences) >= WINDOW:
                occurrences.clear()
            digest = blake2b(raw, digest_size=16).digest()  # 16 bytes a line held, not the line
            occurrences[digest] = seen = occurrences.get(digest, 0) + 1
        raws.append(raw)
        counts.append(seen)
        if len(raws) >= CHUNK:
            yield first, raws, counts
            raws, counts = [], []
    if raws:
        yield first, raws, counts


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: iter_lines raises SourceReadError with the reason


def _event_chunks(path: Path, max_bytes: int) -> Iterator[list[tuple[int, UsageEventRow | LineRejected]]]:
    chunk: list[tuple[int, UsageEventRow | LineRejected]] = []
    for item in iter_events(path, max_bytes=max_bytes):
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _store_access(session: Session, run: _Run, chunk: PreparedAccessChunk) -> None:
    for number, field_name, reason, sample in chunk.rejected:
        run.report.reject(RowError(run.report.source, number, field_name, reason, sample))
    run.report.duplicates += chunk.in_chunk_duplicates
    if not chunk.values:
        return
    people = run.people.resolve(session, chunk.identities)
    params = [(*values, run.batch_id, person) for values, person in zip(chunk.values, people, strict=True)]
    if months := chunk.months - run.months:
        ensure_month_partitions(session, sorted(months), tables=[AccessLogEntry.__tablename__])
        run.months |= months
    stored = insert_values_ignoring_conflicts(
        session,
        AccessLogEntry.__table__,  # type: ignore[arg-type]
        (*ACCESS_COLUMNS, "batch_id", "person_id"),
        params,
    )
    run.report.stored += stored
    run.report.duplicates += len(params) - stored
    if not stored:
        return
    assert chunk.first_day is not None and chunk.last_day is not None
    if stored == len(params):  # every line new: add its counts to the rollups instead of recomputing them
        activity = Counter(
            (date.fromordinal(day), person)
            for day, person in zip(chunk.days, people, strict=True)
            if person is not None
        )
        run.count(chunk.traffic, activity, chunk.visits)
    else:  # some lines were stored before: recompute every day the chunk spans (a superset of its days)
        run.rebuild.add(chunk.first_day, chunk.last_day)
    if chunk.findings:  # only for lines this import stored: a re-imported line was reported the first time
        new_keys = line_keys_stored_by(
            session,
            run.batch_id,
            {f[0] for f in chunk.findings},
            min(f[2] for f in chunk.findings),
            max(f[2] for f in chunk.findings),
        )
        if new := [
            {
                "batch_id": run.batch_id,
                "line_no": number,
                "ts": ts,
                "kind": kind,
                "param": param,
                "masked_sample": sample,
            }
            for key, number, ts, kind, param, sample in chunk.findings
            if key in new_keys
        ]:
            add_url_pii_findings(session, new)


def _store_events(session: Session, run: _Run, chunk: list[tuple[int, UsageEventRow | LineRejected]]) -> None:
    events = [(n, e) for n, e in chunk if isinstance(e, UsageEventRow)]
    for n, e in chunk:
        if isinstance(e, LineRejected):
            run.report.reject(RowError(run.report.source, n, e.field, e.reason))
    refs = {e.user_ref for _, e in events if e.user_ref}
    people = people_by_ref(session, refs) if refs else {}
    rows = [
        {
            "ts": e.ts,
            "person_id": people.get(e.user_ref or ""),
            "session_id": e.session_id,
            "feature": e.feature,
            "action": e.action,
            "duration_ms": e.duration_ms,
            "batch_id": run.batch_id,
            "event_key": event_key(e),
        }
        for _, e in events
    ]
    _insert_new(session, run, UsageEvent.__table__, rows, "event_key")  # type: ignore[arg-type]


def _insert_new(session: Session, run: _Run, table: Table, rows: list[dict[str, Any]], key: str) -> None:
    """Insert the rows whose key is new and count the others as duplicates; mark their days for a rebuild."""
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row[key] in unique:
            run.report.duplicates += 1
            continue
        unique[row[key]] = row
    if not unique:
        return
    values = list(unique.values())
    months = {month_start(r["ts"].astimezone(UTC).date()) for r in values} - run.months
    if months:
        ensure_month_partitions(session, sorted(months), tables=[table.name])
        run.months |= months
    stored = insert_ignoring_conflicts(session, table, values)
    run.report.stored += stored
    run.report.duplicates += len(unique) - stored
    if stored:  # recompute every day the chunk spans (a superset of the days it added to)
        run.rebuild.add(
            min(r["ts"] for r in values).astimezone(UTC).date(),
            max(r["ts"] for r in values).astimezone(UTC).date(),
        )
