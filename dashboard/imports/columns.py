"""Column layouts of import files and the one validator every importer uses.

A value is parsed by its column's type; errors name the field and say what is wrong. Times must carry a
UTC offset (a naive time is a guess about someone's clock); lists are `;`-separated in CSV and arrays in
JSON lines; a `person` column holds the person's user id or email and must match exactly one person.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy.orm import Session

from dashboard.imports import bounded_json
from dashboard.imports.csv_source import Source, TextLines, as_stream, listed, read_csv_rows
from dashboard.imports.report import FileRefused
from dashboard.ingest.bounded import too_long
from dashboard.rules.email import is_email
from dashboard.rules.field_error import FieldError
from data_access.queries.people import find_people


class CellInvalid(FieldError):
    """One cell of an import row that cannot be read."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, email, int, bool, date, datetime, enum, list, person
    required: bool = False
    choices: tuple[str, ...] = ()
    max_len: int = 255
    help: str = ""


@dataclass(frozen=True)
class SourceRow:
    line: int
    values: dict[str, Any]
    raw: str


def read_rows(data: Source, source: str, columns: Sequence[Column]) -> Iterator[SourceRow]:
    """CSV or JSON lines (first non-blank character '{'), read as a stream; unknown or missing
    required columns refuse the file."""
    names = [c.name for c in columns]
    stream = as_stream(data)
    if _first_character(stream) == b"{":
        yield from _json_lines(stream, source, names)
        return
    required = [c.name for c in columns if c.required]
    for row in read_csv_rows(
        stream, source, required=required, optional=[n for n in names if n not in required]
    ):
        yield SourceRow(row.line, dict(row.values), row.raw)


def _first_character(stream: IO[bytes]) -> bytes:
    """The first non-blank byte (a BOM skipped), the stream rewound."""
    head = stream.read(4096)
    stream.seek(0)
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]


def parse_row(session: Session, row: SourceRow, columns: Sequence[Column]) -> dict[str, Any]:
    if "__error__" in row.values:
        raise CellInvalid("row", str(row.values["__error__"]))
    if "__extra__" in row.values:
        raise CellInvalid("row", "more cells than header columns")
    return {column.name: parse_cell(session, column, row.values.get(column.name)) for column in columns}


def parse_cell(session: Session, column: Column, value: Any) -> Any:  # noqa: C901 - one branch per type
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            raise CellInvalid(column.name, "required")
        return [] if column.kind == "list" else None
    text = value.strip() if isinstance(value, str) else value
    if column.kind == "list":
        items = text if isinstance(text, list) else [t.strip() for t in str(text).split(";") if t.strip()]
        return [str(item) for item in items]
    if isinstance(text, str) and len(text) > column.max_len:
        raise CellInvalid(column.name, f"longer than {column.max_len} characters")
    if column.kind == "int":
        return _int(column, text)
    if column.kind == "bool":
        if str(text).lower() in ("true", "1", "yes"):
            return True
        if str(text).lower() in ("false", "0", "no"):
            return False
        raise CellInvalid(column.name, f"{text!r} is not true or false")
    if column.kind == "date":
        try:
            return date.fromisoformat(str(text))
        except ValueError as exc:
            raise CellInvalid(column.name, f"{text!r} is not a date (YYYY-MM-DD)") from exc
    if column.kind == "datetime":
        return _datetime(column, str(text))
    if column.kind == "enum":
        if str(text).lower() not in column.choices:
            raise CellInvalid(column.name, f"{text!r} is not one of {', '.join(column.choices)}")
        return str(text).lower()
    if column.kind == "email":
        if not is_email(str(text)):
            raise CellInvalid(column.name, f"{text!r} is not an email address")
        return str(text).lower()
    if column.kind == "person":
        return _person(session, column, str(text))
    return str(text)


def template(columns: Sequence[Column]) -> str:
    return ",".join(c.name for c in columns) + "\n"


def _int(column: Column, text: Any) -> int:
    try:
        return int(text)
    except (TypeError, ValueError) as exc:
        raise CellInvalid(column.name, f"{text!r} is not a whole number") from exc


def _datetime(column: Column, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CellInvalid(column.name, f"{text!r} is not an ISO 8601 time") from exc
    if value.tzinfo is None:
        raise CellInvalid(column.name, f"{text!r} has no UTC offset")
    return value


def _person(session: Session, column: Column, text: str) -> int:
    matches = find_people(session=session, term=text, limit=2)
    if len(matches) != 1:
        raise CellInvalid(
            column.name, "no person has this value" if not matches else "more than one person has this value"
        )
    return matches[0].person_id


def _json_lines(stream: IO[bytes], source: str, names: list[str]) -> Iterator[SourceRow]:
    for number, line in TextLines(stream, source).numbered():
        if line is None:
            yield SourceRow(number, {"__error__": too_long(number)}, "")
            continue
        if not line.strip():
            continue
        try:
            values = bounded_json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield SourceRow(
                number, {"__error__": f"not JSON: {getattr(exc, 'msg', 'not UTF-8')}"}, _raw(line)
            )
            continue
        except ValueError as exc:  # too deep, or a number of thousands of digits
            yield SourceRow(number, {"__error__": f"not JSON: {str(exc)[:160]}"}, _raw(line))
            continue
        if not isinstance(values, dict):
            yield SourceRow(number, {"__error__": "each line must be a JSON object"}, _raw(line))
            continue
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise FileRefused(f"{source}:{number}: {listed(unknown, 'unknown field')}")
        yield SourceRow(number, values, _raw(line))


def _raw(line: bytes) -> str:
    return line.decode("utf-8", "backslashreplace").rstrip("\r\n")
