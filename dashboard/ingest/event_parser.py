"""Product usage events from CSV or JSON lines -> `UsageEventRow` or `LineRejected`, one per line read.

Both formats carry the keys ts, user_ref, session_id, feature, action, duration_ms. JSON lines when the
first non-blank character is "{" or the name ends in .jsonl/.json (also .jsonl.gz), else CSV; gzip is
detected by its magic bytes. Rules, so every source is judged alike:
- ts: ISO 8601 *with* a time zone; a naive time would be a guess about the sender's clock ("ts: no
  time zone").
- feature, action: required; user_ref (anonymous events allowed) and session_id optional; text is
  stripped and "" means absent; lengths are bounded by the columns they go to (64).
- duration_ms: optional non-negative integer that fits the column (< 2**31).
Line numbers are 1-based physical lines: the CSV header is line 1, a record spanning lines gets the
number of its first line; blank lines are rejected ("empty line") so read = stored + rejected.
A CSV header without ts/feature/action makes the whole file unusable: `EventFileError` is raised.
Invalid UTF-8 is kept visible as "\\xNN" text (errors="backslashreplace"), as in access logs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

from dashboard.ingest.access_log_parser import LineRejected, SourceReadError, open_source
from dashboard.ingest.bounded import MAX_LINE_BYTES, InputTooLarge, bounded_lines, too_long

FIELDS = ("ts", "user_ref", "session_id", "feature", "action", "duration_ms")
REQUIRED = ("ts", "feature", "action")
TEXT_MAX = 64
DURATION_MAX = 2**31 - 1
_EMPTY = LineRejected("empty line")


@dataclass(frozen=True, slots=True)
class UsageEventRow:
    ts: datetime
    user_ref: str | None
    session_id: str | None
    feature: str
    action: str
    duration_ms: int | None


class EventFileError(ValueError):
    """The file as a whole cannot be read as events (e.g. a CSV header lacking required columns)."""


def event_key(row: UsageEventRow) -> str:
    """sha1 of the event's content (time normalised to UTC), so re-importing the same events stores
    nothing."""
    content = json.dumps(
        [
            row.ts.astimezone(UTC).isoformat(),
            row.user_ref,
            row.session_id,
            row.feature,
            row.action,
            row.duration_ms,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha1(content.encode("utf-8", "backslashreplace"), usedforsecurity=False).hexdigest()


def iter_events(
    path: str | PathLike[str], *, max_bytes: int | None = None
) -> Iterator[tuple[int, UsageEventRow | LineRejected]]:
    """(1-based line number, row or rejection) for every line of a CSV or JSON-lines file; a line longer than
    MAX_LINE_BYTES is rejected by number without being held, and past `max_bytes` unpacked
    InputTooLarge stops it."""
    stream = open_source(path)
    try:
        head = stream.peek(4096) if hasattr(stream, "peek") else b""
    except (OSError, EOFError) as exc:
        stream.close()
        raise SourceReadError(f"cannot read {path}: {exc}") from exc
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"{" or {".jsonl", ".json"} & {suffix.lower() for suffix in Path(path).suffixes}:
        return _guard(_json_lines(stream, max_bytes), str(path))
    return _guard(_csv_records(stream, str(path), max_bytes), str(path))


def parse_json_line(raw: bytes) -> UsageEventRow | LineRejected:
    """One JSON-lines record; never raises on any input."""
    if not raw.strip():
        return _EMPTY
    try:
        record = json.loads(raw.rstrip(b"\r\n"))
    except json.JSONDecodeError as exc:
        return LineRejected(f"json: {exc.msg} at column {exc.colno}")
    except UnicodeDecodeError:
        return LineRejected("json: not UTF-8")
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, absurd nesting
        return LineRejected(f"json: {_clip(str(exc), 160)}")
    if not isinstance(record, dict):
        return LineRejected(f"json: not an object but {type(record).__name__}")
    return build_row(*(record.get(name) for name in FIELDS))


def build_row(
    ts: Any, user_ref: Any, session_id: Any, feature: Any, action: Any, duration_ms: Any
) -> UsageEventRow | LineRejected:
    """Validate one event's values (CSV strings or JSON values) in column order."""
    when = _ts(ts)
    if isinstance(when, LineRejected):
        return when
    values: list[str | None] = []
    for name, value, required in (
        ("user_ref", user_ref, False),
        ("session_id", session_id, False),
        ("feature", feature, True),
        ("action", action, True),
    ):
        text = _text(name, value, required)
        if isinstance(text, LineRejected):
            return text
        values.append(text)
    duration = _duration(duration_ms)
    if isinstance(duration, LineRejected):
        return duration
    ref, session, feat, act = values
    assert feat is not None and act is not None  # required above
    return UsageEventRow(when, ref, session, feat, act, duration)


def _ts(value: Any) -> datetime | LineRejected:
    if value is None or value == "":
        return LineRejected("ts: missing")
    if not isinstance(value, str):
        return LineRejected(f"ts: not a string but {type(value).__name__}")
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return LineRejected(f"ts: not ISO 8601 '{_clip(value)}'")
    if when.tzinfo is None or when.utcoffset() is None:
        return LineRejected("ts: no time zone")
    return when


def _text(name: str, value: Any, required: bool) -> str | None | LineRejected:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # JSON ids are sometimes numbers
    if value is not None and not isinstance(value, str):
        return LineRejected(f"{name}: not text but {type(value).__name__}")
    text = _clean(value.strip()) if value else ""
    if not text:
        return LineRejected(f"{name}: missing") if required else None
    if len(text) > TEXT_MAX:
        return LineRejected(f"{name}: longer than {TEXT_MAX} characters")
    return text


def _duration(value: Any) -> int | None | LineRejected:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        if len(value.strip()) > 12:
            return LineRejected(f"duration_ms: out of range '{_clip(value.strip())}'")
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return LineRejected(f"duration_ms: not a non-negative integer '{_clip(str(value))}'")
    if value > DURATION_MAX:
        return LineRejected(f"duration_ms: out of range '{_clip(str(value))}'")
    return value


def _clip(text: str, limit: int = 40) -> str:
    return _clean(text if len(text) <= limit else text[:limit] + "...")


def _clean(text: str) -> str:
    """Text every database can store: no NUL, no lone surrogates (json.loads lets both through)."""
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _json_lines(
    stream: io.BufferedIOBase, max_bytes: int | None
) -> Iterator[tuple[int, UsageEventRow | LineRejected]]:
    with stream:
        for number, line in bounded_lines(stream, max_bytes=max_bytes):
            yield number, LineRejected(too_long(number)) if line is None else parse_json_line(line)


class _CsvLines:
    """The decoded lines of a CSV for csv.reader, each at most MAX_LINE_BYTES: a longer one is
    replaced by an empty line (read as an empty record) and its number remembered, so it is rejected
    as too long."""

    def __init__(self, stream: io.BufferedIOBase, max_bytes: int | None) -> None:
        self.lines = bounded_lines(stream, max_bytes=max_bytes)
        self.too_long: set[int] = set()
        self.first = True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        number, line = next(self.lines)
        if line is None:
            self.too_long.add(number)
            return "\n"
        text = line.decode("utf-8", "backslashreplace")
        if self.first:
            self.first, text = False, text.removeprefix("\ufeff")
        return text


def _csv_records(
    stream: io.BufferedIOBase, name: str, max_bytes: int | None
) -> Iterator[tuple[int, UsageEventRow | LineRejected]]:
    """Read and check the header now (a bad header fails the call), then yield the records lazily."""
    lines = _CsvLines(stream, max_bytes)
    reader = csv.reader(lines)
    try:
        header = [column.strip().lower() for column in next(reader, [])]
    except csv.Error as exc:
        stream.close()
        raise EventFileError(f"{name}: unreadable CSV header: {_clip(str(exc), 160)}") from exc
    missing = [column for column in REQUIRED if column not in header]
    if (header and missing) or lines.too_long:
        stream.close()
        problem = (
            f"line 1 longer than {MAX_LINE_BYTES:,} bytes"
            if lines.too_long
            else f"CSV header lacks column(s) {', '.join(missing)}"
        )
        raise EventFileError(f"{name}: {problem}; expected {','.join(FIELDS)}")
    index = [header.index(column) if column in header else None for column in FIELDS]
    return _csv_rows(stream, lines, reader, index, len(header))


def _csv_rows(
    stream: io.BufferedIOBase, lines: _CsvLines, reader: Any, index: list[int | None], width: int
) -> Iterator[tuple[int, UsageEventRow | LineRejected]]:
    with stream:
        while width:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, LineRejected(f"csv: {_clip(str(exc), 160)}")
                continue
            if start in lines.too_long:
                lines.too_long.discard(start)
                yield start, LineRejected(too_long(start))
            elif not record:
                yield start, _EMPTY
            elif len(record) != width:
                yield start, LineRejected(f"row: {len(record)} field(s), header has {width}")
            else:
                yield start, build_row(*(None if i is None else record[i] for i in index))


def _guard(
    rows: Iterator[tuple[int, UsageEventRow | LineRejected]], name: str
) -> Iterator[tuple[int, UsageEventRow | LineRejected]]:
    """Turn a read failure in the middle (corrupt gzip, disk error) into one clear OSError."""
    try:
        yield from rows
    except InputTooLarge:
        raise
    except (OSError, EOFError) as exc:
        raise SourceReadError(f"cannot read {name}: {exc}") from exc
