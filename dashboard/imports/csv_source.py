"""Reading a CSV upload or file as dictionaries with their line numbers; header problems named up front.

Read as a stream, one line at a time: a 200 MB file is never held whole (issue 23 item 2). A record
(one line, or a quoted value over several) longer than MAX_LINE_BYTES, a line that is not UTF-8 or a
file larger than the input cap refuses the file with its name and line; so does a CSV the csv module
cannot read. A header's unknown columns are named up to a few and counted, so a header of thousands
of columns gives a short message.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from dashboard.imports.report import FileRefused
from dashboard.ingest.bounded import MAX_LINE_BYTES, InputTooLarge, bounded_lines, too_long
from dashboard.settings import get_settings

Source = bytes | IO[bytes]  # an upload's bytes, or an open file read as it goes
NAMES_SHOWN = 5
NAME_MAX = 40
_BLOCK = 1 << 20


class CsvFileError(FileRefused):
    """A CSV that cannot be read as a whole (encoding, missing or unknown columns)."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


@dataclass(frozen=True)
class CsvRow:
    line: int  # physical line where the record starts (the header is line 1)
    values: dict[str, str]
    raw: str


def as_stream(data: Source) -> IO[bytes]:
    return io.BytesIO(data) if isinstance(data, bytes) else data


def sha256_of(data: Source) -> str:
    """The digest of an upload, or of a file read block by block (and rewound, to be read again)."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    while block := data.read(_BLOCK):
        digest.update(block)
    data.seek(0)
    return digest.hexdigest()


def listed(names: Sequence[str], what: str) -> str:
    """ "unknown column(s) a, b" or, past NAMES_SHOWN, "8,000 unknown columns (a, b, c, d, e, ...)"."""
    shown = ", ".join(
        name if len(name) <= NAME_MAX else name[:NAME_MAX] + "..." for name in names[:NAMES_SHOWN]
    )
    if len(names) <= NAMES_SHOWN:
        return f"{what}(s) {shown}"
    return f"{len(names):,} {what}s ({shown}, ...)"


class TextLines:
    """A byte stream as the decoded lines csv.reader asks for, each record at most MAX_LINE_BYTES: a
    longer line or record, bytes that are not UTF-8 and a file past the input cap refuse the file,
    naming the line."""

    def __init__(self, data: Source, source: str) -> None:
        self.source = source
        self.lines = bounded_lines(as_stream(data), max_bytes=get_settings().max_input_bytes)
        self.record_start, self.record_bytes = 1, 0

    def __iter__(self) -> Iterator[str]:
        return self

    def numbered(self) -> Iterator[tuple[int, bytes | None]]:
        """The raw lines themselves (JSON lines), a line over the cap as None; past the input cap,
        CsvFileError."""
        try:
            yield from self.lines
        except InputTooLarge as exc:
            raise CsvFileError(self.source, str(exc)) from exc

    def new_record(self, line: int) -> None:
        self.record_start, self.record_bytes = line, 0

    def __next__(self) -> str:
        try:
            number, line = next(self.lines)
        except InputTooLarge as exc:
            raise CsvFileError(self.source, str(exc)) from exc
        if line is None:
            raise CsvFileError(self.source, too_long(number))
        self.record_bytes += len(line)
        if self.record_bytes > MAX_LINE_BYTES:
            raise CsvFileError(
                self.source, f"line {self.record_start}: record longer than {MAX_LINE_BYTES:,} bytes"
            )
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CsvFileError(self.source, f"line {number}: not UTF-8 (byte {exc.start + 1})") from exc
        return text.removeprefix("\ufeff") if number == 1 else text


def read_csv_rows(
    data: Source,
    source: str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    one_of: Sequence[str] = (),
) -> Iterator[CsvRow]:
    """Rows of a UTF-8 CSV (a BOM is allowed); refuse the file when a required column is missing or
    unknown."""
    lines = TextLines(data, source)
    reader = csv.reader(lines)
    header = [name.strip().lower() for name in _next(reader, lines) or []]
    if not header:
        raise CsvFileError(source, "empty file: a header row is required")
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in {*required, *optional, *one_of}]
    if missing or unknown or (one_of and not set(one_of) & set(header)):
        parts = (
            ([listed(missing, "missing column")] if missing else [])
            + ([listed(unknown, "unknown column")] if unknown else [])
            + (
                [f"one of the columns {', '.join(one_of)} is required"]
                if one_of and not set(one_of) & set(header)
                else []
            )
        )
        raise CsvFileError(source, "; ".join(parts))
    while True:
        start = reader.line_num + 1
        lines.new_record(start)
        record = _next(reader, lines)
        if record is None:
            return
        if not any(cell.strip() for cell in record):
            continue
        values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        if len(record) > len(header):
            values["__extra__"] = ",".join(record[len(header) :])
        yield CsvRow(start, values, ",".join(record))


def _next(reader: Iterator[list[str]], lines: TextLines) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise CsvFileError(lines.source, f"line {lines.record_start}: {str(exc)[:200]}") from exc
