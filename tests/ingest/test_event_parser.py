"""Usage events from CSV and JSON lines: per-line outcomes, line numbers, format detection,
idempotency keys."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ingest.access_log_parser import LineRejected, SourceReadError
from dashboard.ingest.event_parser import (
    EventFileError,
    UsageEventRow,
    build_row,
    event_key,
    iter_events,
    parse_json_line,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CSV = (
    "\ufeffts,user_ref,session_id,feature,action,duration_ms\n"  # 1 header (with Excel's BOM)
    "2026-03-01T10:00:00+01:00,u-1,s-1,invoices,view,1200\n"  # 2
    "2026-03-01T09:00:00Z,,,export,download,\n"  # 3 anonymous, no duration
    "2026-03-01T09:00:00,u-1,s-1,invoices,view,5\n"  # 4 naive
    "2026-03-01T09:00:00Z,u-1,s-1,,view,5\n"  # 5 no feature
    "2026-03-01T09:00:00Z,u-1,s-1,invoices,view,-5\n"  # 6 negative duration
    "\n"  # 7 blank
    'yesterday,u-1,s-1,"multi\nline",view,5\n'  # 8 (spans 8-9)
    "2026-03-01T09:00:00Z,u-1,s-1,invoices\n"  # 10 too few fields
    '2026-03-01T09:00:00Z,"u,2","s ""q""",reports,open,0\n'  # 11 quoted commas and quotes
    "2026-03-01T09:00:00Z,u-1,s-1,invoices,view,1.5\n"  # 12 fractional duration
    "2026-03-01T09:00:00Z,u-1,s-1,invoices," + "a" * 65 + ",1\n"  # 13 action too long
)
CSV_EXPECTED: dict[int, UsageEventRow | str] = {
    2: UsageEventRow(
        datetime(2026, 3, 1, 10, tzinfo=timezone(timedelta(hours=1))), "u-1", "s-1", "invoices", "view", 1200
    ),
    3: UsageEventRow(T0, None, None, "export", "download", None),
    4: "ts: no time zone",
    5: "feature: missing",
    6: "duration_ms: not a non-negative integer '-5'",
    7: "empty line",
    8: "ts: not ISO 8601 'yesterday'",
    10: "row: 4 field(s), header has 6",
    11: UsageEventRow(T0, "u,2", 's "q"', "reports", "open", 0),
    12: "duration_ms: not a non-negative integer '1.5'",
    13: "action: longer than 64 characters",
}

JSONL = [
    b'{"ts": "2026-03-01T09:00:00Z", "user_ref": 42, "session_id": null, "feature": "f", '
    b'"action": "a", "duration_ms": 7}',
    b'{"ts": "2026-03-01T09:00:00", "feature": "f", "action": "a"}',
    b"",
    b"[1, 2]",
    b'{"ts": "2026-03-01T09:00:00Z", "feature": "f"',
    b'{"ts": "2026-03-01T09:00:00Z", "feature": "f", "action": "a", "duration_ms": true}',
    b'{"ts": "2026-03-01T09:00:00Z", "feature": ["f"], "action": "a"}',
    b'{"ts": "2026-03-01T09:00:00Z", "feature": "f\xff", "action": "a"}',
    b'{"ts": "2026-03-01T09:00:00Z", "feature": "f", "action": "a", "duration_ms": 3000000000}',
]
JSONL_EXPECTED: list[UsageEventRow | str] = [
    UsageEventRow(T0, "42", None, "f", "a", 7),
    "ts: no time zone",
    "empty line",
    "json: not an object but list",
    "json: Expecting ',' delimiter at column 46",
    "duration_ms: not a non-negative integer 'True'",
    "feature: not text but list",
    "json: not UTF-8",
    "duration_ms: out of range '3000000000'",
]


def outcomes(path: Path) -> dict[int, UsageEventRow | str]:
    return {n: r.reason if isinstance(r, LineRejected) else r for n, r in iter_events(path)}


def test_csv_outcomes_and_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(CSV, encoding="utf-8")
    assert outcomes(source) == CSV_EXPECTED


def test_jsonl_outcomes_and_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "events.jsonl"
    source.write_bytes(b"\n".join(JSONL) + b"\n")
    assert outcomes(source) == dict(enumerate(JSONL_EXPECTED, 1))


def test_read_equals_parsed_plus_rejected(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(CSV, encoding="utf-8")
    results = [r for _, r in iter_events(source)]
    rows = [r for r in results if isinstance(r, UsageEventRow)]
    rejected = [r for r in results if isinstance(r, LineRejected)]
    assert len(results) == len(rows) + len(rejected) == len(CSV_EXPECTED)
    assert (len(rows), len(rejected)) == (3, 8)


def test_format_is_detected_by_content_then_extension(tmp_path: Path) -> None:
    json_named_csv = tmp_path / "events.csv"
    json_named_csv.write_bytes(b"\n  " + JSONL[0] + b"\n")
    assert outcomes(json_named_csv) == {1: "empty line", 2: JSONL_EXPECTED[0]}
    csv_named_txt = tmp_path / "events.txt"
    csv_named_txt.write_text(CSV, encoding="utf-8")
    assert outcomes(csv_named_txt) == CSV_EXPECTED
    empty_jsonl = tmp_path / "empty.jsonl"
    empty_jsonl.write_bytes(b"\n")
    assert outcomes(empty_jsonl) == {1: "empty line"}
    array_json = tmp_path / "events.json"  # not JSON lines: rejected line by line, not read as CSV
    array_json.write_bytes(b"[\n" + JSONL[0] + b"\n]\n")
    assert outcomes(array_json) == {
        1: "json: Expecting value at column 2",
        2: JSONL_EXPECTED[0],
        3: "json: Expecting value at column 1",
    }
    hidden_gzip = tmp_path / "events.data"
    hidden_gzip.write_bytes(gzip.compress(b"\n".join(JSONL)))
    assert outcomes(hidden_gzip) == dict(enumerate(JSONL_EXPECTED, 1))


def test_header_without_required_columns_fails_the_call(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text("when,who,what\n2026-03-01T09:00:00Z,u,f\n", encoding="utf-8")
    with pytest.raises(EventFileError, match="lacks column.*ts, feature, action"):
        iter_events(source)


def test_header_columns_may_be_reordered_and_optional_ones_left_out(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text("Action, Feature ,TS\nview,invoices,2026-03-01T09:00:00Z\n", encoding="utf-8")
    assert outcomes(source) == {2: UsageEventRow(T0, None, None, "invoices", "view", None)}


def test_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(SourceReadError):
        iter_events(tmp_path / "nope.csv")


def test_event_key_is_a_content_hash_over_the_instant() -> None:
    row = UsageEventRow(T0, "u-1", "s-1", "invoices", "view", 10)
    same_instant = UsageEventRow(
        T0.astimezone(timezone(timedelta(hours=2))), "u-1", "s-1", "invoices", "view", 10
    )
    assert event_key(row) == event_key(same_instant)
    assert len(event_key(row)) == 40 and int(event_key(row), 16) >= 0
    others = [
        UsageEventRow(T0, "u-1", "s-1", "invoices", "view", 11),
        UsageEventRow(T0, None, "s-1", "invoices", "view", 10),
        UsageEventRow(T0 + timedelta(microseconds=1), "u-1", "s-1", "invoices", "view", 10),
    ]
    assert len({event_key(row), *(event_key(o) for o in others)}) == 4


def test_reimport_gives_the_same_keys(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(CSV, encoding="utf-8")
    first = [event_key(r) for _, r in iter_events(source) if isinstance(r, UsageEventRow)]
    again = [event_key(r) for _, r in iter_events(source) if isinstance(r, UsageEventRow)]
    assert first == again and len(set(first)) == 3


@given(st.binary(max_size=300))
def test_any_json_line_parses_or_is_rejected(raw: bytes) -> None:
    assert isinstance(parse_json_line(raw), UsageEventRow | LineRejected)


JSON_VALUES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            k: JSON_VALUES | st.sampled_from(["2026-03-01T09:00:00+00:00", "1"])
            for k in ("ts", "user_ref", "session_id", "feature", "action", "duration_ms")
        },
    )
)
def test_any_json_object_parses_or_is_rejected(record: dict[str, object]) -> None:
    result = parse_json_line(json.dumps(record).encode())
    assert isinstance(result, UsageEventRow | LineRejected)
    if isinstance(result, UsageEventRow):
        assert result.ts.tzinfo is not None and result.feature and result.action
        event_key(result)
    else:
        result.reason.encode("utf-8")


@given(st.lists(st.text(max_size=30), min_size=6, max_size=6))
def test_any_csv_values_build_a_row_or_are_rejected(values: list[str]) -> None:
    assert isinstance(build_row(*values), UsageEventRow | LineRejected)
