"""Reading a CSV upload or file as dictionaries with their line numbers; header problems named up front."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dashboard.imports.report import FileRefused


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


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_csv_rows(data: bytes, source: str, *, required: Sequence[str], optional: Sequence[str] = (),
                  one_of: Sequence[str] = ()) -> Iterator[CsvRow]:
    """Rows of a UTF-8 CSV (a BOM is allowed); refuse the file when a required column is missing or unknown."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(source, f"not UTF-8 (byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    if not header:
        raise CsvFileError(source, "empty file: a header row is required")
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in {*required, *optional, *one_of}]
    if missing or unknown or (one_of and not set(one_of) & set(header)):
        parts = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s) {', '.join(unknown)}"] if unknown else []) + (
            [f"one of the columns {', '.join(one_of)} is required"] if one_of and not set(one_of) & set(header) else [])
        raise CsvFileError(source, "; ".join(parts))
    line = reader.line_num
    for record in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        if len(record) > len(header):
            values["__extra__"] = ",".join(record[len(header):])
        yield CsvRow(start, values, ",".join(record))
