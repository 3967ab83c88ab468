"""What a prepared chunk carries for the writer: each row's stored timestamp and UTC day are those
of the parsed line, whatever its offset and second (the conversion is made once per minute of the
log, then reused)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from dashboard.ingest.access_log_parser import AccessLine, parse_access_line
from dashboard.ingest.prepare_access import ACCESS_COLUMNS, prepare_access_chunk
from data_access.bulk import sqlite_utc_text

TS, PATH = ACCESS_COLUMNS.index("ts"), ACCESS_COLUMNS.index("path")
stamps = st.lists(
    st.tuples(
        st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)).map(
            lambda value: value.replace(microsecond=0)
        ),
        st.integers(-14 * 60, 14 * 60),
    ),
    min_size=1,
    max_size=30,
)


def _line(value: datetime, offset_minutes: int, n: int) -> bytes:
    sign, (hours, minutes) = ("-" if offset_minutes < 0 else "+"), divmod(abs(offset_minutes), 60)
    return (
        f"203.0.113.{n % 250} - - [{value:%d/%b/%Y:%H:%M:%S} {sign}{hours:02d}{minutes:02d}] "
        f'"GET /p/{n} HTTP/1.1" 200 5 "-" "curl/8.5.0"'
    ).encode()


@given(stamps)
def test_each_row_keeps_the_instant_and_utc_day_of_its_line(written: list[tuple[datetime, int]]) -> None:
    raws = [_line(value, offset, n) for n, (value, offset) in enumerate(written)]
    parsed = [parse_access_line(raw) for raw in raws]
    assert all(isinstance(line, AccessLine) for line in parsed)
    instants = {line.path: line.ts for line in parsed if isinstance(line, AccessLine)}
    for dialect, stored in (
        ("sqlite", {path: sqlite_utc_text(ts) for path, ts in instants.items()}),
        ("postgresql", instants),
    ):
        chunk = prepare_access_chunk(1, raws, [1] * len(raws), dialect)  # rows come grouped by client
        assert {row[PATH]: row[TS] for row in chunk.values} == stored and len(chunk.values) == len(raws)
        assert chunk.days == [instants[row[PATH]].astimezone(UTC).toordinal() for row in chunk.values]
        assert {day for day, _, _ in chunk.traffic} == {ts.astimezone(UTC).date() for ts in instants.values()}


def test_the_same_minute_written_in_two_offsets_is_one_instant() -> None:
    """The per-minute conversion is keyed by the instant: a minute met first at +0530 serves the
    same minute at UTC, and a different minute that prints alike in another zone is not mistaken for
    it."""
    at = datetime(2026, 3, 1, 10, 0, 7, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    raws = [
        _line(at.replace(tzinfo=None), 330, 1),
        _line(at.astimezone(UTC).replace(tzinfo=None), 0, 2),
        _line(at.replace(tzinfo=None), 0, 3),
    ]
    chunk = prepare_access_chunk(1, raws, [1, 1, 1], "sqlite")
    assert {row[PATH]: row[TS] for row in chunk.values} == {
        "/p/1": "2026-03-01 04:30:07.000000",
        "/p/2": "2026-03-01 04:30:07.000000",
        "/p/3": "2026-03-01 10:00:07.000000",
    }
