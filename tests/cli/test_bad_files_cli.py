"""Bad files get a short error naming the file (and the line or field where there is one), never a
traceback and never a message that repeats the file (issue 23 item 8): a 10 MB CSV field, a header
of a million columns, OpenDSR JSON nested a hundred thousand deep, an access-log line of a
megabyte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from dashboard.cli.main import app
from data_access.db import session_factory
from data_access.models import AccessLogEntry, ImportBatch, Person, RejectedRow
from tests.ingest import test_ingest_cli

runner, _count = test_ingest_cli.runner, test_ingest_cli._count  # the same CLI fixture and row counter
SHORT = 300  # characters: an error a person reads, not the file echoed back
HEADER = "user_id,username,full_name,email,phone,country,created_at\n"
GOOD = "U1,ann,Ann A,ann@example.com,,GB,2026-01-01T00:00:00+00:00\n"
LOG_LINE = '203.0.113.5 - - [05/Oct/2026:09:00:01 +0000] "GET /app HTTP/1.1" 200 512 "-" "curl/8.5.0"\n'


def _refused(result, path: Path) -> str:  # type: ignore[no-untyped-def]
    """The one error line of a refused file: exit 2, the file named, short, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.startswith(f"error: {path}"), message[:500]
    assert len(message) <= SHORT, f"{len(message)} characters: {message[:500]}"
    return message


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_csv_with_a_10_mb_field_is_refused_naming_file_and_line(
    runner: CliRunner, engine: Engine, tmp_path: Path, dry_run: bool
) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        HEADER + GOOD + f'U2,bob,"{"x" * 10_000_000}",bob@example.com,,GB,2026-01-01T00:00:00+00:00\n'
    )
    result = runner.invoke(app, ["import", "people", str(csv), *(["--dry-run"] if dry_run else [])])
    message = _refused(result, csv)
    assert "line 3" in message and "65,536" in message
    assert _count(engine, Person) == 0  # the file as a whole is refused: validate first, write nothing


def test_a_csv_header_of_a_million_columns_gets_a_short_error(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    csv = tmp_path / "wide.csv"
    csv.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + ",".join("1" * 1_000_000) + "\n")
    _refused(runner.invoke(app, ["import", "people", str(csv), "--dry-run"]), csv)


def test_a_header_with_thousands_of_unknown_columns_names_their_count_not_each_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    csv = tmp_path / "wide.csv"
    csv.write_text(HEADER.strip() + "," + ",".join(f"c{i}" for i in range(8_000)) + "\n")
    message = _refused(runner.invoke(app, ["import", "people", str(csv), "--dry-run"]), csv)
    assert "8,000 unknown columns" in message and "c0" in message and "c7999" not in message


def test_deeply_nested_opendsr_json_is_refused_naming_the_file(runner: CliRunner, tmp_path: Path) -> None:
    payload = tmp_path / "deep.json"
    payload.write_text("[" * 100_000 + "]" * 100_000)
    message = _refused(runner.invoke(app, ["requests", "import-opendsr", str(payload)]), payload)
    assert "nested" in message


def test_deeply_nested_json_lines_reject_their_line(runner: CliRunner, tmp_path: Path) -> None:
    rows = tmp_path / "people.jsonl"
    deep = '{"user_id": ' + "[" * 30_000 + "]" * 30_000 + "}"
    rows.write_text(
        json.dumps({"user_id": "U1", "country": "GB", "created_at": "2026-01-01T00:00:00+00:00"})
        + "\n"
        + deep
        + "\n"
    )
    result = runner.invoke(app, ["import", "people", str(rows), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"{rows}:2: row: not JSON: nested deeper than" in result.stderr
    assert "read 2, would store 1, would update 0, unchanged 0, rejected 1" in result.stdout  # people upsert


def test_an_access_log_line_longer_than_64_kib_is_rejected_by_number_and_the_rest_stored(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    log = tmp_path / "long.log"
    log.write_bytes(
        (
            LOG_LINE + LOG_LINE.replace("/app", "/" + "a" * 1_000_000) + LOG_LINE.replace(":01 ", ":02 ")
        ).encode()
    )
    result = runner.invoke(app, ["ingest", "access-log", str(log), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"read": 3, "stored": 2, "rejected": 1, "duplicates": 0}
    with session_factory(engine)() as session:
        rejected = session.execute(select(RejectedRow.line_no, RejectedRow.reason)).one()
        assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == 2
    assert rejected == (2, "line 2 longer than 65,536 bytes")


def test_a_gzip_bomb_stops_with_a_short_error_naming_the_file(
    runner: CliRunner, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    monkeypatch.setenv("COMPLIANCE_MAX_INPUT_BYTES", "1000000")
    bomb = tmp_path / "bomb.log.gz"
    bomb.write_bytes(gzip.compress(LOG_LINE.encode() * 20_000))  # 1.6 MB unpacked
    result = runner.invoke(app, ["ingest", "access-log", str(bomb)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.startswith(f"error: {bomb}") and "COMPLIANCE_MAX_INPUT_BYTES" in message, message
    assert len(message) <= SHORT
    assert (
        _count(engine, AccessLogEntry) == 0 and _count(engine, ImportBatch) == 0
    )  # its transaction rolled back
