"""Access-log parsing against a corpus of what real servers write, plus properties over arbitrary bytes."""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.access_log_parser import (
    USER_AGENT_MAX,
    AccessLine,
    LineRejected,
    SourceReadError,
    iter_lines,
    line_key,
    parse_access_line,
)

CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"
PLUS1 = timezone(timedelta(hours=1))
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
NORMAL = {
    "ts": datetime(2026, 3, 1, 10, 0, tzinfo=PLUS1),
    "client": "203.0.113.7",
    "ident": None,
    "authuser": None,
    "method": "GET",
    "path": "/invoices",
    "query": "page=2",
    "protocol": "HTTP/1.1",
    "status": 200,
    "bytes_sent": 5120,
    "referrer": "https://billing.example.com/",
    "user_agent": CHROME,
    "raw_request": "GET /invoices?page=2 HTTP/1.1",
}

# Line number -> the fields stored (a subset is checked) or the exact rejection reason.
EXPECTED: dict[int, dict[str, object] | str] = {
    1: NORMAL,
    2: {
        "client": "198.51.100.23",
        "method": "POST",
        "path": "/login",
        "query": None,
        "status": 302,
        "bytes_sent": 0,
        "referrer": None,
        "user_agent": None,
    },
    3: {
        "client": "2001:db8:85a3::8a2e:370:7334",
        "protocol": "HTTP/2.0",
        "referrer": None,
        "user_agent": "curl/8.4.0",
    },
    4: {"client": "crawl-66-249-66-1.googlebot.com", "ident": "billing", "authuser": "alice", "status": 404},
    5: {
        "client": "",
        "ident": None,
        "authuser": None,
        "method": None,
        "path": None,
        "protocol": None,
        "status": None,
        "bytes_sent": None,
        "referrer": None,
        "user_agent": None,
        "raw_request": "-",
    },
    6: {
        "query": "q=%22x%22",
        "referrer": 'https://ex.com/?q="quoted"',
        "user_agent": 'Agent "with quotes" and back\\slash',
    },
    7: {"path": "/café", "raw_request": "GET /café HTTP/1.1", "user_agent": 'Nginx "quoted" ✓'},
    8: {"user_agent": "bad byte \\xff here"},
    9: {"path": "/raw\\xff\\xfe", "user_agent": "raw \\xc3( utf8"},
    10: {"user_agent": "Mozilla/5.0 (truncated", "status": 200},
    11: {"method": None, "path": None, "query": None, "protocol": None, "status": 400, "raw_request": ""},
    12: {
        "method": "GET",
        "path": "/legacy.html",
        "protocol": None,
        "bytes_sent": 512,
        "raw_request": "GET /legacy.html",
    },
    13: {"user_agent": "L" * USER_AGENT_MAX},
    14: {"ts": datetime(2026, 3, 1, 9, 59, tzinfo=PLUS1), "path": "/earlier"},
    15: {"path": "/crlf", "user_agent": None},
    16: "empty line",
    17: "empty line",
    18: "timestamp: unparseable '[32/Foo/2026:10:00:00 +0000]'",
    19: "status: not a number 'abc'",
    20: "bytes_sent: not a number '12x'",
    21: "status: missing (the line ends after the request)",
    22: "format: expected 'client ident authuser [timestamp]' at start of 'this is not an access log line'",
    23: {
        "method": None,
        "path": None,
        "status": 400,
        "bytes_sent": 157,
        "raw_request": "\x16\x03\x01\\x00\\xa5\x01\\x00",
    },
    24: {"path": "/users/u-1001/profile", "query": "uid=u-1001&email=jane%40example.com&sid=s-9"},
    25: NORMAL,
    26: {"path": "/xff", "user_agent": "curl/8.4.0"},
    27: {"ts": datetime(2026, 3, 1, 9, 0, 22, tzinfo=UTC)},
    28: "timestamp: unparseable '[31/Feb/2026:10:00:00 +0100]'",
    29: "status: not a 3-digit code '1234'",
    30: {"method": "GET", "path": "/a b", "protocol": "HTTP/1.1"},
    31: "client: not an IP address or host name 'bad,client'",
    32: {"referrer": "https://cut.example.com/pa", "user_agent": None},
    33: {"method": "OPTIONS", "path": "*", "ts": datetime(2026, 3, 1, 18, 0, 27, tzinfo=UTC)},
}


def corpus_results() -> list[tuple[int, bytes, AccessLine | LineRejected]]:
    return [(number, raw, parse_access_line(raw)) for number, raw in iter_lines(CORPUS)]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_corpus_line_outcome(number: int) -> None:
    raw = dict(iter_lines(CORPUS))[number]
    result = parse_access_line(raw)
    expected = EXPECTED[number]
    if isinstance(expected, str):
        assert result == LineRejected(expected)
    else:
        assert isinstance(result, AccessLine), result
        assert {name: getattr(result, name) for name in expected} == expected


def test_every_corpus_line_has_an_expectation() -> None:
    assert [number for number, _, _ in corpus_results()] == sorted(EXPECTED)


def test_read_equals_parsed_plus_rejected() -> None:
    results = corpus_results()
    parsed = [r for _, _, r in results if isinstance(r, AccessLine)]
    rejected = [r for _, _, r in results if isinstance(r, LineRejected)]
    assert len(results) == len(parsed) + len(rejected) == 33
    assert (len(parsed), len(rejected)) == (23, 10)


def test_timestamps_keep_their_own_offset_and_need_no_order() -> None:
    stamps = [r.ts for _, _, r in corpus_results() if isinstance(r, AccessLine)]
    assert all(ts.tzinfo is not None for ts in stamps)
    assert stamps != sorted(stamps)
    assert {ts.utcoffset() for ts in stamps} == {
        timedelta(hours=1),
        timedelta(hours=5, minutes=30),
        timedelta(hours=-8),
    }


@given(
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda value: value.replace(microsecond=0)
    ),
    st.integers(-14 * 60, 14 * 60),
)
def test_a_timestamp_is_read_as_written_whatever_its_second_and_offset(
    value: datetime, offset_minutes: int
) -> None:
    """The per-minute fast path (the minute cached, its second added) gives the instant and offset written."""
    zone = timezone(timedelta(minutes=offset_minutes))
    sign, hours_minutes = ("-" if offset_minutes < 0 else "+"), divmod(abs(offset_minutes), 60)
    written = f"{value:%d/%b/%Y:%H:%M:%S} {sign}{hours_minutes[0]:02d}{hours_minutes[1]:02d}"
    line = parse_access_line(f'203.0.113.7 - - [{written}] "GET / HTTP/1.1" 200 5 "-" "-"'.encode())
    assert isinstance(line, AccessLine)
    assert line.ts == value.replace(tzinfo=zone) and line.ts.utcoffset() == zone.utcoffset(None)
    assert (line.ts.second, line.ts.microsecond) == (value.second, 0)


def test_rejection_names_its_field() -> None:
    assert LineRejected("status: not a number 'abc'").field == "status"
    assert LineRejected("empty line").field is None


def test_parsed_lines_are_ordinary_named_tuples() -> None:
    line = parse_access_line(dict(iter_lines(CORPUS))[1])
    assert isinstance(line, AccessLine)
    built = AccessLine(**NORMAL)  # type: ignore[arg-type]
    assert line == built and hash(line) == hash(built) and repr(line) == repr(built)
    assert line._asdict() == NORMAL and tuple(line) == tuple(NORMAL.values())
    with pytest.raises(AttributeError):
        line.status = 500  # type: ignore[misc]
    assert line._replace(status=500).status == 500


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            b'h - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 ' + b"9" * 19,
            "bytes_sent: out of range '" + "9" * 19 + "'",
        ),
        (
            b'h - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 ' + b"9" * 5000,
            "bytes_sent: out of range '" + "9" * 40 + "...'",
        ),
        (
            b"h - " + b"u" * 129 + b' [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
            "authuser: longer than 128 characters",
        ),
        (
            b"h" * 256 + b' - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
            "client: not an IP address or host name '" + "h" * 40 + "...'",
        ),
        (
            b'h - - [01/Mar/2026:10:00:00 +2400] "GET / HTTP/1.1" 200 1',
            "timestamp: unparseable '[01/Mar/2026:10:00:00 +2400]'",
        ),
        (b'h - - [01/Mar/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 1', "timestamp: missing closing ']'"),
        (
            b"h - - [01/Mar/2026:10:00:00 +0000] GET / HTTP/1.1 200 1",
            "request: expected a quoted request after the timestamp, got ' GET / HTTP/1.1 200 1'",
        ),
        (b'h - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1 200 1', "request: missing closing quote"),
    ],
)
def test_field_limits_and_structure(raw: bytes, reason: str) -> None:
    assert parse_access_line(raw) == LineRejected(reason)


def test_line_terminators_do_not_change_the_result() -> None:
    line = CORPUS.read_bytes().splitlines()[0]
    assert parse_access_line(line) == parse_access_line(line + b"\n") == parse_access_line(line + b"\r\n")


# --- reading files -------------------------------------------------------------------------------------


def test_gzip_is_detected_by_content_not_name(tmp_path: Path) -> None:
    hidden = tmp_path / "access.log"  # gzip without .gz
    hidden.write_bytes(gzip.compress(CORPUS.read_bytes()))
    assert list(iter_lines(hidden)) == list(iter_lines(CORPUS))
    liar = tmp_path / "plain.log.gz"  # plain text with .gz
    liar.write_bytes(CORPUS.read_bytes())
    assert list(iter_lines(liar)) == list(iter_lines(CORPUS))


def test_lines_are_numbered_from_one_and_lose_their_terminator(tmp_path: Path) -> None:
    source = tmp_path / "a.log"
    source.write_bytes(b"first\r\n\nthird without newline")
    assert list(iter_lines(source)) == [(1, b"first"), (2, b""), (3, b"third without newline")]
    source.write_bytes(b"")
    assert list(iter_lines(source)) == []


def test_unreadable_files_raise_a_clear_oserror(tmp_path: Path) -> None:
    with pytest.raises(SourceReadError, match="cannot read .*missing.log") as missing:
        iter_lines(tmp_path / "missing.log")
    assert isinstance(missing.value, OSError)
    with pytest.raises(SourceReadError):
        iter_lines(tmp_path)  # a directory


def test_truncated_gzip_raises_after_the_lines_before_the_damage(tmp_path: Path) -> None:
    body = CORPUS.read_bytes() * 50
    broken = tmp_path / "broken.log.gz"
    broken.write_bytes(gzip.compress(body)[:-400])
    seen = []
    with pytest.raises(SourceReadError, match="after line"):
        for number, _ in iter_lines(broken):
            seen.append(number)
    assert 0 < len(seen) < body.count(b"\n")


# --- idempotency keys ----------------------------------------------------------------------------------


def keys_of(path: Path) -> list[str]:
    seen: Counter[bytes] = Counter()
    keys = []
    for _, raw in iter_lines(path):
        seen[raw] += 1
        keys.append(line_key(raw, seen[raw]))
    return keys


def test_line_key_separates_identical_lines_and_is_stable_across_imports(tmp_path: Path) -> None:
    raw = dict(iter_lines(CORPUS))
    assert raw[1] == raw[25]
    assert line_key(raw[1], 1) != line_key(raw[25], 2)
    keys = keys_of(CORPUS)
    assert len(set(keys)) == len(keys) == 33
    copy = tmp_path / "again.log"
    copy.write_bytes(gzip.compress(CORPUS.read_bytes()))
    assert keys_of(copy) == keys


def test_line_key_definition() -> None:
    line = b'1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1'
    expected = hashlib.sha1(line + b"\n1").hexdigest()
    assert line_key(line, 1) == line_key(line + b"\r\n", 1) == expected
    assert len(expected) == 40
    with pytest.raises(ValueError):
        line_key(line, 0)


# --- properties ----------------------------------------------------------------------------------------

FRAGMENTS = [
    b"203.0.113.1",
    b"::1",
    b"-",
    b" ",
    b"[",
    b"]",
    b'"',
    b"\\",
    b"\\x",
    b"\\xC3\\xA9",
    b"\\xff",
    b"01/Mar/2026:10:00:00 +0100",
    b"99/Xyz/0000:99:99:99 +9999",
    b"GET /a?b=c HTTP/1.1",
    b"GET",
    b"200",
    b"0",
    b"abc",
    b"\r",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"\t",
    b"-0000",
    b"HTTP/1.1",
]


def check_invariants(result: AccessLine | LineRejected) -> None:
    assert isinstance(result, AccessLine | LineRejected)
    if isinstance(result, LineRejected):
        assert result.reason and "\x00" not in result.reason
        result.reason.encode("utf-8")
        return
    assert result.ts.tzinfo is not None
    assert len(result.client) <= 255 and (result.method is None or len(result.method) <= 16)
    assert result.user_agent is None or len(result.user_agent) <= USER_AGENT_MAX
    for value in (
        result.client,
        result.ident,
        result.authuser,
        result.method,
        result.path,
        result.query,
        result.protocol,
        result.referrer,
        result.user_agent,
        result.raw_request,
    ):
        if value is not None:
            assert "\x00" not in value
            value.encode("utf-8")  # storable: no lone surrogates


@settings(max_examples=500)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_rejected(raw: bytes) -> None:
    check_invariants(parse_access_line(raw))


@settings(max_examples=500)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=6), max_size=30))
def test_near_log_lines_parse_or_are_rejected(parts: list[bytes]) -> None:
    check_invariants(parse_access_line(b"".join(parts)))


@given(st.sampled_from(sorted(EXPECTED)), st.integers(0, 200), st.binary(max_size=3))
def test_corrupted_corpus_lines_parse_or_are_rejected(number: int, cut: int, junk: bytes) -> None:
    raw = dict(iter_lines(CORPUS))[number]
    check_invariants(parse_access_line(raw[:cut] + junk + raw[cut:]))


@pytest.mark.parametrize("length", [10, 1100, 20_000])
def test_a_request_reads_the_same_whether_or_not_it_is_short_enough_to_be_remembered(length: int) -> None:
    query = "q=" + "x" * length
    raw = f'h - - [01/Mar/2026:10:00:00 +0000] "GET /p?{query} HTTP/1.1" 200 1'.encode()
    first, again = parse_access_line(raw), parse_access_line(raw)
    assert isinstance(first, AccessLine) and first == again
    assert (first.method, first.path, first.query, first.protocol, first.raw_request) == (
        "GET",
        "/p",
        query,
        "HTTP/1.1",
        f"GET /p?{query} HTTP/1.1",
    )
