"""Reading a file line by line in bounded memory, whatever the file holds (issue 23 item 2).

A line longer than MAX_LINE_BYTES is never held whole: it is read past in blocks and given as None,
so the reader rejects it by number ("line N longer than 65,536 bytes") and goes on. The bytes read
(after gunzipping) are counted: past `max_bytes`, InputTooLarge stops the read, so a small gzip that
unpacks to terabytes (a gzip bomb) ends with a short error naming the file instead of running for
hours. The cap is a setting (dashboard.settings, COMPLIANCE_MAX_INPUT_BYTES); this layer takes it as
an argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

MAX_LINE_BYTES = 65_536  # one line or CSV record, its terminator not counted
_BLOCK = 1 << 16


class LineReader(Protocol):
    def readline(self, size: int, /) -> bytes: ...


class InputTooLarge(OSError):
    """The file unpacks to more than the configured cap; the message names the setting, the caller
    the file."""


def too_long(number: int) -> str:
    """The rejection reason of a line over the cap, the same wherever a line is read."""
    return f"line {number} longer than {MAX_LINE_BYTES:,} bytes"


def bounded_lines(
    stream: LineReader, *, max_bytes: int | None = None, max_line: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, line with its terminator, or None when longer than `max_line`) for each line."""
    number = total = 0
    while True:
        line = stream.readline(max_line + 2)  # room for the longest line allowed and its \r\n
        if not line:
            return
        number += 1
        total += len(line)
        _check(total, max_bytes)
        complete = line.endswith(b"\n") or len(line) < max_line + 2
        if complete and len(line) - _terminator(line) <= max_line:
            yield number, line
            continue
        while not complete:  # read past the rest of it, a block at a time
            line = stream.readline(_BLOCK)
            total += len(line)
            _check(total, max_bytes)
            complete = not line or line.endswith(b"\n")
        yield number, None


def _terminator(line: bytes) -> int:
    return 2 if line.endswith(b"\r\n") else 1 if line.endswith((b"\n", b"\r")) else 0


def _check(total: int, max_bytes: int | None) -> None:
    if max_bytes is not None and total > max_bytes:
        raise InputTooLarge(
            f"more than {max_bytes:,} bytes once unpacked, the most one file may hold "
            "(COMPLIANCE_MAX_INPUT_BYTES)"
        )
