"""One line of an Apache/Nginx access log (Combined or Common Log Format) -> `AccessLine` or `LineRejected`.

Ingest reads tens of millions of lines: one precompiled bytes regex per line, fields decoded once,
timestamps memoised (neighbouring lines share a second). Nothing is dropped silently: a line that cannot be
stored is a `LineRejected` whose reason starts with the field, so an import shows read = stored + rejected.

Decisions that change what is stored:
- Quoted fields are unescaped first (Apache: \\" \\\\ \\n \\t ... \\xNN; Nginx: \\xNN), to *bytes*, so an
  escaped UTF-8 sequence such as \\xC3\\xA9 becomes "é". Bytes are then decoded as UTF-8 with
  errors="backslashreplace": an invalid byte stays visible as the text "\\xff" instead of vanishing into
  U+FFFD, so the value still shows what the server wrote. NUL becomes the text "\\x00" (PostgreSQL text
  cannot hold NUL).
- "-" means absent: client -> "", every other field -> None.
- user_agent is cut to 1024 characters (its column size); raw_request, path and referrer are kept whole.
- A missing closing quote on the last field (a truncated line) is accepted; fields some configurations
  append after the user agent are ignored.
- A request that is not "METHOD target [PROTOCOL]" (empty, "-", a TLS handshake sent to port 80) is still
  a request the server answered: it is stored with method/path/protocol None and its text in raw_request.
- Lines are not assumed to be in time order; each keeps the offset it was logged with.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from os import PathLike
from typing import NamedTuple

from dashboard.ingest.bounded import InputTooLarge, bounded_lines

USER_AGENT_MAX = 1024
CLIENT_MAX = 255
AUTHUSER_MAX = 128


class AccessLine(NamedTuple):
    """A parsed line. A named tuple: ingest builds tens of millions, and one is made in a single
    step (a frozen dataclass paid a __setattr__ per field) and read back by position."""

    ts: datetime
    client: str
    ident: str | None
    authuser: str | None
    method: str | None
    path: str | None
    query: str | None
    protocol: str | None
    status: int | None
    bytes_sent: int | None
    referrer: str | None
    user_agent: str | None
    raw_request: str


@dataclass(frozen=True, slots=True)
class LineRejected:
    """Why a line (access log or usage event) cannot be stored; `reason` reads "field: what is wrong"."""

    reason: str

    @property
    def field(self) -> str | None:
        name, sep, _ = self.reason.partition(":")
        return name if sep and " " not in name else None


class SourceReadError(OSError):
    """A source file cannot be opened or read to its end (missing, unreadable, corrupt or truncated gzip)."""


_Q = rb'([^"\\]*(?:\\.[^"\\]*)*)'  # a quoted field's content, \-escapes allowed, unrolled for speed
_LINE = re.compile(
    rb'(\S+) (\S+) (\S+) \[([^\]]*)\] "' + _Q + rb'" (\S+) (\S+)'
    rb'(?: "' + _Q + rb'(?:"(?: "' + _Q + rb'(?:"(?: .*)?)?)?)?)?[ \t]*\Z',
    re.DOTALL,
)
_TS = re.compile(rb"(\d{1,2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\Z")
_MONTHS = {m.encode(): i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_ESCAPE = re.compile(rb"\\(x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_C_ESCAPES = {b'"': b'"', b"\\": b"\\", b"n": b"\n", b"t": b"\t", b"r": b"\r", b"b": b"\b", b"v": b"\v"}
_CLIENT = re.compile(rb"[0-9A-Za-z.:%_\[\]-]+\Z")  # IPv4, IPv6 (with zone), host name
_METHOD = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}\Z")  # an HTTP token, as long as the column
_PROTOCOL = re.compile(r"[A-Z]{2,10}/\d{1,2}(?:\.\d{1,2})?\Z", re.ASCII)
_EMPTY = LineRejected("empty line")
_new_line = tuple.__new__  # AccessLine from a tuple of its fields, without the keyword-argument __new__


def _unescape_one(m: re.Match[bytes]) -> bytes:
    code = m.group(1)
    if len(code) == 3:
        return bytes((int(code[1:], 16),))
    return _C_ESCAPES.get(code, m.group(0))


def _text(raw: bytes) -> str:
    if b"\\" in raw:
        raw = _ESCAPE.sub(_unescape_one, raw)
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"\\x00")
    return raw.decode("utf-8", "backslashreplace")


@lru_cache(maxsize=8192)
def _repeated_text(raw: bytes) -> str:
    """_text for fields that repeat from line to line (referrers, user agents): decoded once each."""
    return _text(raw)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


@lru_cache(maxsize=256)
def _zone(raw: bytes) -> timezone | None:
    hours, minutes = int(raw[1:3]), int(raw[3:5])
    if hours > 23 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if raw[:1] == b"-" else offset)


# A second as the time to add to its minute: adding a timedelta is ten times cheaper than datetime.replace.
_SECONDS = {b"%02d" % second: timedelta(seconds=second) for second in range(60)}


def _timestamp(raw: bytes) -> datetime | None:
    # The usual shape, dd/Mon/yyyy:hh:mm:ss +zzzz, by position: a regex costs more than the rest together. The
    # minute is parsed once (a log writes many lines a minute), the seconds per line.
    if len(raw) == 26 and raw[17] == 58 and raw[20] == 32:
        seconds, at_minute = _SECONDS.get(raw[18:20]), _minute(raw[:17], raw[21:])
        if seconds is not None and at_minute is not None:
            return at_minute + seconds  # the same second of the same minute: no overflow to carry
    m = _TS.match(raw)
    if m is None:
        return None
    day, month_name, year, hour, minute, second, zone = m.groups()
    month = _MONTHS.get(month_name.title())
    tz = _zone(zone)
    if month is None or tz is None:
        return None
    try:
        return datetime(int(year), month, int(day), int(hour), int(minute), int(second), tzinfo=tz)
    except ValueError:  # 31 Feb, hour 25, second 61 ...
        return None


@lru_cache(maxsize=4096)
def _minute(head: bytes, zone: bytes) -> datetime | None:
    """dd/Mon/yyyy:hh:mm and +zzzz as a datetime at that minute, or None when either is not in that shape."""
    if not (
        head[2] == 47
        and head[6] == 47
        and head[11] == 58
        and head[14] == 58
        and head[:2].isdigit()
        and head[7:11].isdigit()
        and head[12:14].isdigit()
        and head[15:17].isdigit()
        and zone[:1] in (b"+", b"-")
        and zone[1:].isdigit()
    ):
        return None
    month, tz = _MONTHS.get(head[3:6].title()), _zone(zone)
    if month is None or tz is None:
        return None
    try:
        return datetime(int(head[7:11]), month, int(head[:2]), int(head[12:14]), int(head[15:17]), tzinfo=tz)
    except ValueError:
        return None


# Clients, methods and protocols repeat from line to line: each distinct value is checked by its regex once.
@lru_cache(maxsize=65_536)
def _client(raw: bytes) -> str | None:
    return raw.decode("ascii") if len(raw) <= CLIENT_MAX and _CLIENT.match(raw) else None


@lru_cache(maxsize=256)
def _is_method(text: str) -> bool:
    return _METHOD.match(text) is not None


@lru_cache(maxsize=256)
def _is_protocol(text: str) -> bool:
    return _PROTOCOL.match(text) is not None


def _request(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(method, path, query, protocol); all None when the text is not a request line."""
    parts = text.split(" ")
    n = len(parts)
    if n == 3:
        method, target, protocol = parts
    elif n == 2:
        method, target, protocol = parts[0], parts[1], None  # HTTP/0.9: no version
    elif n > 3 and _is_protocol(parts[-1]):  # a target with unescaped spaces
        method, target, protocol = parts[0], " ".join(parts[1:-1]), parts[-1]
    else:
        return None, None, None, None
    if not target or not _is_method(method) or (protocol is not None and not _is_protocol(protocol)):
        return None, None, None, None
    path, sep, query = target.partition("?")
    return method, path, (query if sep else None), protocol


_CACHED_REQUEST_MAX = 1024  # longer requests are parsed each time, so the cache stays within a few tens of MB


@lru_cache(maxsize=16_384)
def _request_fields(raw: bytes) -> tuple[str, str | None, str | None, str | None, str | None]:
    """(request text, method, path, query, protocol) of a quoted request. Remembered: a log repeats
    its requests (the same pages, the same users), and lines that share a request then share its
    strings, which also makes a prepared chunk cheaper to pickle and to unpickle."""
    request = _text(raw)
    return (request, *_request(request)) if request and request != "-" else (request, None, None, None, None)


def parse_access_line(raw: bytes) -> AccessLine | LineRejected:
    """Parse one raw line (with or without its line terminator); never raises on any input."""
    line = raw.rstrip(b"\r\n")
    if not line or line.isspace():
        return _EMPTY
    m = _LINE.match(line)
    if m is None:
        return LineRejected(_diagnose(line))
    client_b, ident_b, user_b, ts_b, req_b, status_b, size_b, ref_b, ua_b = m.groups()
    ts = _timestamp(ts_b)
    if ts is None:
        return LineRejected(f"timestamp: unparseable '[{_clip(_text(ts_b))}]'")
    if client_b == b"-":
        client = ""
    elif (known := _client(client_b)) is not None:
        client = known
    else:
        return LineRejected(f"client: not an IP address or host name '{_clip(_text(client_b))}'")
    authuser = None if user_b == b"-" else _text(user_b)
    if authuser is not None and len(authuser) > AUTHUSER_MAX:
        return LineRejected(f"authuser: longer than {AUTHUSER_MAX} characters")
    if status_b == b"-":
        status = None
    elif len(status_b) == 3 and status_b.isdigit():
        status = int(status_b)
    else:
        kind = "not a 3-digit code" if status_b.isdigit() else "not a number"
        return LineRejected(f"status: {kind} '{_clip(_text(status_b))}'")
    if size_b == b"-":
        size = None
    elif size_b.isdigit() and len(size_b) <= 18:  # int() refuses > 4300 digits; BIGINT holds 18
        size = int(size_b)
    elif size_b.isdigit():
        return LineRejected(f"bytes_sent: out of range '{_clip(_text(size_b))}'")
    else:
        return LineRejected(f"bytes_sent: not a number '{_clip(_text(size_b))}'")
    request, method, path, query, protocol = (
        _request_fields(req_b) if len(req_b) <= _CACHED_REQUEST_MAX else _request_fields.__wrapped__(req_b)
    )
    referrer = _repeated_text(ref_b) if ref_b else None
    agent = _repeated_text(ua_b)[:USER_AGENT_MAX] if ua_b else None
    return _new_line(
        AccessLine,
        (
            ts,
            client,
            None if ident_b == b"-" else _text(ident_b),
            authuser,
            method,
            path,
            query,
            protocol,
            status,
            size,
            None if referrer == "-" else referrer,
            None if agent == "-" else agent,
            request,
        ),
    )


_HEAD = re.compile(rb"(\S+) (\S+) (\S+) \[")
_QUOTED_END = re.compile(rb'"' + _Q + rb'"')
_STATUS_BYTES = re.compile(rb" (\S+) (\S+)")


def _diagnose(line: bytes) -> str:
    """Name the first structural problem of a line the fast regex refused (slow path, rejects only)."""
    head = _HEAD.match(line)
    if head is None:
        return f"format: expected 'client ident authuser [timestamp]' at start of '{_clip(_text(line))}'"
    close = line.find(b"]", head.end())
    if close < 0:
        return "timestamp: missing closing ']'"
    pos = close + 1
    if line[pos : pos + 2] != b' "':
        return f"request: expected a quoted request after the timestamp, got '{_clip(_text(line[pos:]))}'"
    request = _QUOTED_END.match(line, pos + 1)
    if request is None:
        return "request: missing closing quote"
    rest = _STATUS_BYTES.match(line, request.end())
    if rest is None and request.end() == len(line):
        return "status: missing (the line ends after the request)"
    if rest is None:
        return (
            f"status: expected ' status bytes' after the request, got '{_clip(_text(line[request.end() :]))}'"
        )
    tail = line[rest.end() :]
    if not tail.startswith(b' "'):
        return f"referrer: expected a quoted referrer after the size, got '{_clip(_text(tail))}'"
    referrer = _QUOTED_END.match(tail, 1)
    if referrer is not None and not tail[referrer.end() :].startswith(b' "'):
        return (
            "user_agent: expected a quoted user agent after the referrer, "
            f"got '{_clip(_text(tail[referrer.end() :]))}'"
        )
    return f"format: unbalanced quotes or stray text in '{_clip(_text(tail), 60)}'"


def line_key(raw: bytes, occurrence: int) -> str:
    """Idempotency key: sha1 of the line (terminator stripped) and its 1-based occurrence among identical
    lines of the same file. Re-importing a file (or its rotated, longer copy) gives the same keys; a
    second identical line in one file gets a different key and is stored too."""
    if occurrence < 1:
        raise ValueError(f"occurrence is 1-based, got {occurrence}")
    digest = hashlib.sha1(raw.rstrip(b"\r\n"), usedforsecurity=False)
    digest.update(b"\n%d" % occurrence)
    return digest.hexdigest()


def open_source(path: str | PathLike[str]) -> io.BufferedIOBase:
    """Open a file for binary reading, gunzipped when it starts with gzip's magic bytes (names lie)."""
    try:
        with open(path, "rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        return gzip.open(path, "rb") if gzipped else open(path, "rb")  # the caller closes it
    except OSError as exc:
        message = f"cannot read {path}: {exc.strerror or exc}"
        raise (SourceReadError(exc.errno, message) if exc.errno else SourceReadError(message)) from exc


def iter_lines(
    path: str | PathLike[str], *, max_bytes: int | None = None
) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, line without its terminator) for a plain or gzip file; None for a line
    longer than MAX_LINE_BYTES, which is read past without being held (dashboard.ingest.bounded).

    The file is opened now, so a missing or unreadable file raises `SourceReadError` at the call; a
    corrupt or truncated gzip raises it while iterating, after the lines read before the damage, and
    a file that unpacks to more than `max_bytes` raises `InputTooLarge`."""
    return _numbered(open_source(path), str(path), max_bytes)


def _numbered(
    stream: io.BufferedIOBase, name: str, max_bytes: int | None
) -> Iterator[tuple[int, bytes | None]]:
    number = 0
    with stream:
        try:
            for number, line in bounded_lines(stream, max_bytes=max_bytes):
                yield number, None if line is None else line.rstrip(b"\r\n")
        except InputTooLarge:
            raise
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceReadError(f"cannot read {name} after line {number}: {exc}") from exc
