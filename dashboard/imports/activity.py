"""Ingest HTTP access logs and product usage events: every line stored or rejected, never twice, rollups kept current.

Counts: read = stored + rejected, always; `duplicates` are the rejected lines that were already stored
(same line_key / event_key), counted but not written again as rejected rows. Other rejections are
recorded in `rejected_rows` with their line number and reason.

Linking (the rule of data_access.ingest.url_identity): a line is tied to a person when its URL carries
their user id (people.external_ref) or a persistent identifier they hold (Google ID, cookie id), or when
the log's authenticated user is their username. Events are tied by user_ref = the person's user id.

Identical lines in one file are told apart by their occurrence (access_log_parser.line_key); occurrences
are counted within a window of WINDOW distinct lines, so memory stays flat on files of any length (two
identical lines further apart than that are taken for one: the second is counted as a duplicate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.imports.batches import close_batch, open_batch
from dashboard.imports.report import ImportReport, RowError
from data_access.bulk import insert_ignoring_conflicts, tune_for_bulk_load
from data_access.ingest.access_log_parser import (
    AccessLine,
    LineRejected,
    iter_lines,
    line_key,
    parse_access_line,
)
from data_access.ingest.event_parser import UsageEventRow, event_key, iter_events
from data_access.ingest.url_identity import extract_identifiers, find_url_pii
from data_access.models import AccessLogEntry, PersistentIdentifier, Person, UrlPiiFinding, UsageEvent
from data_access.partitions import ensure_month_partitions, month_start
from data_access.rollups import add_access_rows, rebuild_exit_pages, rebuild_rollups

CHUNK = 5_000
WINDOW = 200_000
Progress = Callable[[int], None]


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
    rebuild: _DayRange = field(default_factory=_DayRange)  # days whose rollups are recomputed from raw rows
    exits: _DayRange = field(default_factory=_DayRange)  # days that got new lines added to the rollups directly
    months: set[date] = field(default_factory=set)


def ingest_access_log(*, session: Session, principal: Principal, path: Path,
                      progress: Progress | None = None) -> ImportReport:
    """Read one plain or gzip log file into access_log; the caller commits. SourceReadError if unreadable."""
    return _ingest(session, principal, path, "access_log", _access_chunks(path), _store_access, progress)


def ingest_events(*, session: Session, principal: Principal, path: Path,
                  progress: Progress | None = None) -> ImportReport:
    """Read one CSV or JSON-lines events file into usage_events; the caller commits."""
    return _ingest(session, principal, path, "usage_events", _event_chunks(path), _store_events, progress)


def _ingest(session: Session, principal: Principal, path: Path, kind: str, chunks: Iterator[list[Any]],
            store: Callable[[Session, _Run, list[Any]], None], progress: Progress | None) -> ImportReport:
    require(principal.role, "import.run")
    tune_for_bulk_load(session)  # SQLite: a page cache large enough for four indexes on tens of millions of rows
    report = ImportReport(source=str(path), duplicates_listed=False)
    batch = open_batch(session=session, kind=kind, source=str(path), digest="", principal=principal)
    run = _Run(report, batch.id)
    for chunk in chunks:
        report.read += len(chunk)
        store(session, run, chunk)
        if progress is not None:
            progress(len(chunk))
    if run.rebuild.first is not None and run.rebuild.last is not None:
        rebuild_rollups(session=session, first=run.rebuild.first, last=run.rebuild.last)  # only the days touched
    if run.exits.first is not None and run.exits.last is not None:
        rebuild_exit_pages(session=session, first=run.exits.first, last=run.exits.last)
    close_batch(session=session, batch=batch, report=report)
    record(session=session, actor=principal.username, role=principal.role, action=f"import.{kind}",
           object_type="import_batch", object_id=batch.id, details=report.counts())
    return report


def _access_chunks(path: Path) -> Iterator[list[tuple[int, bytes, AccessLine | LineRejected, str]]]:
    occurrences: dict[bytes, int] = {}
    chunk: list[tuple[int, bytes, AccessLine | LineRejected, str]] = []
    for number, raw in iter_lines(path):
        if len(occurrences) >= WINDOW:
            occurrences.clear()
        digest = raw[:512] + len(raw).to_bytes(4, "big")
        occurrences[digest] = occurrences.get(digest, 0) + 1
        chunk.append((number, raw, parse_access_line(raw), line_key(raw, occurrences[digest])))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _event_chunks(path: Path) -> Iterator[list[tuple[int, UsageEventRow | LineRejected]]]:
    chunk: list[tuple[int, UsageEventRow | LineRejected]] = []
    for item in iter_events(path):
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _store_access(session: Session, run: _Run, chunk: list[tuple[int, bytes, AccessLine | LineRejected, str]]) -> None:
    parsed = [(n, line, key) for n, _, line, key in chunk if isinstance(line, AccessLine)]
    for n, raw, line, _ in chunk:
        if isinstance(line, LineRejected):
            run.report.errors.append(RowError(run.report.source, n, line.field, line.reason,
                                              raw.decode("utf-8", "backslashreplace")[:500]))
    ids = [extract_identifiers(line.path, line.query) for _, line, _ in parsed]
    people = _resolve(session, ids, [line.authuser for _, line, _ in parsed])
    rows = [{"ts": line.ts, "client": line.client, "authuser": line.authuser, "method": line.method,
             "path": line.path, "query": line.query, "protocol": line.protocol, "status": line.status,
             "bytes_sent": line.bytes_sent if line.bytes_sent is None or line.bytes_sent < 2**31 else 2**31 - 1,
             "referrer": line.referrer, "user_agent": line.user_agent, "batch_id": run.batch_id, "line_key": key,
             "person_id": people(found, line.authuser)}
            for (_, line, key), found in zip(parsed, ids, strict=True)]
    new = _insert_new(session, run, AccessLogEntry.__table__, rows, "line_key")  # type: ignore[arg-type]
    if new is not None:
        add_access_rows(session, new)
    findings = [(key, {"batch_id": run.batch_id, "line_no": n, "ts": line.ts, "kind": f.kind, "param": f.param,
                       "masked_sample": f.sample})
                for n, line, key in parsed for f in find_url_pii(line.path, line.query)]
    if findings:  # only for lines this import stored: a re-imported line was reported the first time
        stored = set(session.scalars(select(AccessLogEntry.line_key).where(
            AccessLogEntry.batch_id == run.batch_id, AccessLogEntry.line_key.in_({k for k, _ in findings}))))
        if new := [finding for key, finding in findings if key in stored]:
            session.execute(insert(UrlPiiFinding), new)


def _store_events(session: Session, run: _Run, chunk: list[tuple[int, UsageEventRow | LineRejected]]) -> None:
    events = [(n, e) for n, e in chunk if isinstance(e, UsageEventRow)]
    for n, e in chunk:
        if isinstance(e, LineRejected):
            run.report.errors.append(RowError(run.report.source, n, e.field, e.reason))
    refs = {e.user_ref for _, e in events if e.user_ref}
    people = dict(session.execute(select(Person.external_ref, Person.id).where(Person.external_ref.in_(refs))).all()) \
        if refs else {}
    rows = [{"ts": e.ts, "person_id": people.get(e.user_ref or ""), "session_id": e.session_id, "feature": e.feature,
             "action": e.action, "duration_ms": e.duration_ms, "batch_id": run.batch_id, "event_key": event_key(e)}
            for _, e in events]
    _insert_new(session, run, UsageEvent.__table__, rows, "event_key")  # type: ignore[arg-type]


def _insert_new(session: Session, run: _Run, table: Table, rows: list[dict[str, Any]],
                key: str) -> list[dict[str, Any]] | None:
    """Insert the rows whose key is new and count the others as duplicates. Returns the rows stored when
    all were new (their counts can be added to the rollups); otherwise their days are marked for a rebuild.

    One DBAPI executemany that skips keys already stored (INSERT OR IGNORE / ON CONFLICT DO NOTHING), its
    row count giving how many were stored: no RETURNING and no per-row ORM work, which on this path cost
    more than the database's own work."""
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row[key] in unique:
            run.report.duplicates += 1
            continue
        unique[row[key]] = row
    if not unique:
        return None
    values = list(unique.values())
    first_ts, last_ts = min(r["ts"] for r in values), max(r["ts"] for r in values)
    months = {month_start(r["ts"].date()) for r in values} - run.months
    if months:
        ensure_month_partitions(session, sorted(months), tables=[table.name])
        run.months |= months
    stored = insert_ignoring_conflicts(session, table, values)
    run.report.stored += stored
    run.report.duplicates += len(unique) - stored
    days = first_ts.astimezone(UTC).date(), last_ts.astimezone(UTC).date()
    if stored == len(values) and table.name == AccessLogEntry.__tablename__:
        run.exits.add(*days)
        return values
    if stored:  # some lines were stored before: recompute every day the chunk spans (a superset of its days)
        run.rebuild.add(*days)
    return None


def _resolve(session: Session, found: list[dict[str, str]],
             authusers: list[str | None]) -> Callable[[dict[str, str], str | None], int | None]:
    """A lookup from a line's identifiers (or its authenticated user) to a person id, one query per kind."""
    refs = {f["user_ref"] for f in found if "user_ref" in f}
    others = {f[k] for f in found for k in ("google_id", "cookie_id") if k in f}
    names = {a for a in authusers if a}
    by_ref = dict(session.execute(select(Person.external_ref, Person.id).where(Person.external_ref.in_(refs)))
                  .all()) if refs else {}
    by_identifier = dict(session.execute(select(PersistentIdentifier.value, PersistentIdentifier.person_id).where(
        PersistentIdentifier.value.in_(others))).all()) if others else {}
    by_name = dict(session.execute(select(Person.username, Person.id).where(Person.username.in_(names))).all()) \
        if names else {}

    def lookup(ids: dict[str, str], authuser: str | None) -> int | None:
        for kind, index in (("user_ref", by_ref), ("google_id", by_identifier), ("cookie_id", by_identifier)):
            if kind in ids and ids[kind] in index:
                return int(index[ids[kind]])
        return int(by_name[authuser]) if authuser and authuser in by_name else None

    return lookup
