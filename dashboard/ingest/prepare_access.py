"""Raw access-log lines -> rows ready to insert, with their rollup counts: the CPU-bound half of ingest.

A pure function of its arguments (no database), so large files can be prepared in worker processes while
the main process writes (dashboard.imports.activity). What it returns is plain tuples, cheap to pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from dashboard.ingest.access_log_parser import LineRejected, line_key, parse_access_line
from dashboard.ingest.bounded import too_long
from dashboard.ingest.url_identity import UrlPiiFinding, extract_identifiers, find_url_pii
from data_access.bulk import sqlite_utc_text
from data_access.partitions import month_start
from data_access.traffic_dimensions import TrafficCounts, count_traffic

# The columns of `PreparedAccessChunk.values`; the writer appends batch_id and person_id.
ACCESS_COLUMNS = (
    "ts",
    "client",
    "authuser",
    "method",
    "path",
    "query",
    "protocol",
    "status",
    "bytes_sent",
    "referrer",
    "user_agent",
    "line_key",
)
BYTES_MAX = 2**31 - 1  # the column is a 32-bit integer on SQLite's side of the schema

Identity = tuple[str | None, str | None, str | None, str | None]  # user_ref, google_id, cookie_id, authuser


@dataclass(slots=True)
class PreparedAccessChunk:
    read: int = 0  # raw lines in the chunk
    # ACCESS_COLUMNS, timestamps in the engine's form; grouped by client, each client's rows in file order
    values: list[tuple[Any, ...]] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)  # one per value row, to link it to a person
    days: list[int] = field(default_factory=list)  # UTC day (ordinal) of each value row
    traffic: TrafficCounts = field(default_factory=dict)  # what the value rows add to traffic_daily
    visits: set[tuple[int, str, str | None]] = field(
        default_factory=set
    )  # (day, client, user agent) of the rows
    in_chunk_duplicates: int = 0  # lines whose key already occurred in this chunk
    rejected: list[tuple[int, str | None, str, str]] = field(
        default_factory=list
    )  # line, field, reason, sample
    findings: list[tuple[str, int, Any, str, str, str]] = field(
        default_factory=list
    )  # key, line, ts, kind, param, sample
    first_day: date | None = None
    last_day: date | None = None
    months: set[date] = field(default_factory=set)

    def __len__(self) -> int:
        return self.read


def prepare_access_chunk(
    first_number: int, raws: list[bytes | None], occurrences: list[int], dialect: str
) -> PreparedAccessChunk:
    """Parse `raws` (numbered from `first_number`; `occurrences` as counted over the file) for
    `dialect`; a None stands for a line longer than the cap, which the reader did not keep
    (dashboard.ingest.bounded)."""
    chunk = PreparedAccessChunk(read=len(raws))
    to_text = dialect == "sqlite"
    seen: set[str] = set()
    values, identities, days, traffic = chunk.values, chunk.identities, chunk.days, []
    for number, (raw, occurrence) in enumerate(zip(raws, occurrences, strict=True), first_number):
        if raw is None:
            chunk.rejected.append((number, None, too_long(number), ""))
            continue
        line = parse_access_line(raw)
        if isinstance(line, LineRejected):
            chunk.rejected.append(
                (number, line.field, line.reason, raw.decode("utf-8", "backslashreplace")[:500])
            )
            continue
        key = line_key(raw, occurrence)
        if key in seen:
            chunk.in_chunk_duplicates += 1
            continue
        seen.add(key)
        ts, client, _, authuser, method, path, query, protocol, status, sent, referrer, agent, _ = line
        minute_text, day, utc_day = _utc_minute(ts - _SECONDS[ts.second])
        (user_ref, google_id, cookie_id), findings = _url_facts(path, query)
        identities.append((user_ref, google_id, cookie_id, authuser))
        if sent is not None and sent > BYTES_MAX:
            sent = BYTES_MAX
        values.append(
            (
                minute_text + _SECOND_TEXT[ts.second] if to_text else ts,
                client,
                authuser,
                method,
                path,
                query,
                protocol,
                status,
                sent,
                referrer,
                agent,
                key,
            )
        )
        days.append(day)
        traffic.append((utc_day, status, referrer, path, agent, sent))
        if findings:
            chunk.findings.extend((key, number, ts, f.kind, f.param, f.sample) for f in findings)
    chunk.traffic = count_traffic(traffic)
    _group_by_client(chunk)
    chunk.visits = {(day, v[1], v[10]) for day, v in zip(chunk.days, chunk.values, strict=True)}
    if chunk.days:
        chunk.first_day, chunk.last_day = date.fromordinal(min(chunk.days)), date.fromordinal(max(chunk.days))
        chunk.months = {month_start(date.fromordinal(d)) for d in set(chunk.days)}
    return chunk


def _group_by_client(chunk: PreparedAccessChunk) -> None:
    """Put each client's rows together, in file order among themselves (the sort is stable).

    The writer then inserts a client's rows (and, as a person mostly comes from one address, a person's) one
    after the other into the same pages of the (client, ts) and (person_id, ts) indexes, instead of jumping
    between hundreds of pages (at 20M rows, on the benchmark's file, whose users are spread over all
    addresses:
    8.3-9.1 against 8.9-11.3 us a row; grouped by person it was 7.2-7.9). Keeping each client's order keeps
    the ids of a visit's lines in file order, which is how a tie on the exit page is broken (rollups)."""
    if len(chunk.values) < 2:
        return
    order = sorted(range(len(chunk.values)), key=[row[1] for row in chunk.values].__getitem__)
    chunk.values = [chunk.values[i] for i in order]
    chunk.identities = [chunk.identities[i] for i in order]
    chunk.days = [chunk.days[i] for i in order]


_SECONDS = [timedelta(seconds=second) for second in range(60)]
_SECOND_TEXT = [f"{second:02d}.000000" for second in range(60)]


@lru_cache(maxsize=4096)
def _utc_minute(minute: datetime) -> tuple[str, int, date]:
    """A parsed line's minute (its whole-minute offset keeps every second of it on one UTC day) as
    SQLite's UTC text up to the seconds, and its UTC day as an ordinal and a date: converted once
    per minute of the log."""
    utc = minute.astimezone(UTC)
    return sqlite_utc_text(utc)[:17], utc.toordinal(), utc.date()  # type: ignore[index]


@lru_cache(maxsize=16_384)
def _url_facts(
    path: str | None, query: str | None
) -> tuple[tuple[str | None, str | None, str | None], tuple[UrlPiiFinding, ...]]:
    """The identifiers (user_ref, google_id, cookie_id) and personal-data findings of one URL, remembered per
    process: a log repeats its URLs (the same users on the same pages)."""
    ids = extract_identifiers(path, query)
    return (ids.get("user_ref"), ids.get("google_id"), ids.get("cookie_id")), tuple(find_url_pii(path, query))
