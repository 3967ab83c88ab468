"""Raw access-log lines -> rows ready to insert, with their rollup counts: the CPU-bound half of ingest.

A pure function of its arguments (no database), so large files can be prepared in worker processes while
the main process writes (dashboard.imports.activity). What it returns is plain tuples, cheap to pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from functools import lru_cache
from typing import Any

from data_access.bulk import sqlite_utc_text
from data_access.ingest.access_log_parser import AccessLine, line_key, parse_access_line
from data_access.ingest.url_identity import UrlPiiFinding, extract_identifiers, find_url_pii
from data_access.partitions import month_start
from data_access.traffic_dimensions import TrafficCounts, count_traffic

# The columns of `PreparedAccessChunk.values`; the writer appends batch_id and person_id.
ACCESS_COLUMNS = ("ts", "client", "authuser", "method", "path", "query", "protocol", "status", "bytes_sent",
                  "referrer", "user_agent", "line_key")
BYTES_MAX = 2**31 - 1  # the column is a 32-bit integer on SQLite's side of the schema

Identity = tuple[str | None, str | None, str | None, str | None]  # user_ref, google_id, cookie_id, authuser


@dataclass(slots=True)
class PreparedAccessChunk:
    read: int = 0  # raw lines in the chunk
    values: list[tuple[Any, ...]] = field(default_factory=list)  # ACCESS_COLUMNS, timestamps in the engine's form
    identities: list[Identity] = field(default_factory=list)  # one per value row, to link it to a person
    days: list[int] = field(default_factory=list)  # UTC day (ordinal) of each value row
    traffic: TrafficCounts = field(default_factory=dict)  # what the value rows add to traffic_daily
    visits: set[tuple[int, str, str | None]] = field(default_factory=set)  # (day, client, user agent) of the rows
    in_chunk_duplicates: int = 0  # lines whose key already occurred in this chunk
    rejected: list[tuple[int, str | None, str, str]] = field(default_factory=list)  # line, field, reason, sample
    findings: list[tuple[str, int, Any, str, str, str]] = field(default_factory=list)  # key, line, ts, kind, param, sample
    first_day: date | None = None
    last_day: date | None = None
    months: set[date] = field(default_factory=set)

    def __len__(self) -> int:
        return self.read


def prepare_access_chunk(first_number: int, raws: list[bytes], occurrences: list[int],
                         dialect: str) -> PreparedAccessChunk:
    """Parse `raws` (numbered from `first_number`; `occurrences` as counted over the file) for `dialect`."""
    chunk = PreparedAccessChunk(read=len(raws))
    engine_ts = sqlite_utc_text if dialect == "sqlite" else None
    seen: set[str] = set()
    lines: list[AccessLine] = []
    for offset, (raw, occurrence) in enumerate(zip(raws, occurrences, strict=True)):
        number = first_number + offset
        line = parse_access_line(raw)
        if not isinstance(line, AccessLine):
            chunk.rejected.append((number, line.field, line.reason, raw.decode("utf-8", "backslashreplace")[:500]))
            continue
        key = line_key(raw, occurrence)
        if key in seen:
            chunk.in_chunk_duplicates += 1
            continue
        seen.add(key)
        lines.append(line)
        (user_ref, google_id, cookie_id), findings = _url_facts(line.path, line.query)
        chunk.identities.append((user_ref, google_id, cookie_id, line.authuser))
        sent = line.bytes_sent if line.bytes_sent is None or line.bytes_sent <= BYTES_MAX else BYTES_MAX
        chunk.values.append((engine_ts(line.ts) if engine_ts else line.ts, line.client, line.authuser, line.method,
                             line.path, line.query, line.protocol, line.status, sent, line.referrer,
                             line.user_agent, key))
        if findings:
            chunk.findings.extend((key, number, line.ts, f.kind, f.param, f.sample) for f in findings)
    _count_traffic(chunk, lines)
    return chunk


@lru_cache(maxsize=16_384)
def _url_facts(path: str | None, query: str | None) -> tuple[tuple[str | None, str | None, str | None],
                                                           tuple[UrlPiiFinding, ...]]:
    """The identifiers (user_ref, google_id, cookie_id) and personal-data findings of one URL, remembered per
    process: a log repeats its URLs (the same users on the same pages)."""
    ids = extract_identifiers(path, query)
    return (ids.get("user_ref"), ids.get("google_id"), ids.get("cookie_id")), tuple(find_url_pii(path, query))


def _count_traffic(chunk: PreparedAccessChunk, lines: list[AccessLine]) -> None:
    """Each value row's day, and the chunk's traffic counts as data_access.rollups counts them."""
    days = [line.ts.astimezone(UTC).date() for line in lines]
    chunk.days = [day.toordinal() for day in days]
    chunk.traffic = count_traffic((day, line.status, line.referrer, line.path, line.user_agent, values[8])
                                  for day, line, values in zip(days, lines, chunk.values, strict=True))
    chunk.visits = {(day, values[1], values[10]) for day, values in zip(chunk.days, chunk.values, strict=True)}
    if chunk.days:
        chunk.first_day, chunk.last_day = date.fromordinal(min(chunk.days)), date.fromordinal(max(chunk.days))
        chunk.months = {month_start(date.fromordinal(d)) for d in set(chunk.days)}
