"""A second import while another holds the database: one line on stderr and exit 75 (EX_TEMPFAIL),
no traceback and nothing written, on SQLite (the write lock) and PostgreSQL (the import lock, which
also closes the race that made the second of two imports die on a unique key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from dashboard.cli.main import app
from dashboard.cli.operator import EXIT_BUSY
from data_access.db import session_factory
from data_access.models import AccessLogEntry, ImportBatch, Person
from tests.locking import write_lock_held

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"
LINE = '203.0.113.5 - - [05/Oct/2026:09:00:{s:02d} +0000] "GET /app HTTP/1.1" 200 512 "-" "curl/8.0"\n'


@pytest.fixture
def runner(engine: Engine, monkeypatch: pytest.MonkeyPatch, short_busy_timeout: int) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return CliRunner()


def _count(engine: Engine, model: type) -> int:
    with session_factory(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _assert_busy(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == EXIT_BUSY == 75, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit)  # typer's clean exit, not an exception escaping
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines == ["database busy: another import or write is running; try again"]


def test_a_second_import_exits_75_with_one_line_and_writes_nothing(runner: CliRunner, engine: Engine) -> None:
    with write_lock_held(engine):
        result = runner.invoke(app, ["import", "people", str(SAMPLES / "people.csv")])
    _assert_busy(result)
    assert _count(engine, Person) == 0 and _count(engine, ImportBatch) == 0
    after = runner.invoke(app, ["import", "people", str(SAMPLES / "people.csv"), "--json"])
    assert after.exit_code == 0, after.output  # once the other import is done, the same command goes through


def test_a_second_ingest_exits_75_with_one_line_and_writes_nothing(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    log = tmp_path / "a.log"
    log.write_text("".join(LINE.format(s=s) for s in range(5)))
    with write_lock_held(engine):
        result = runner.invoke(app, ["ingest", "access-log", str(log)])
    _assert_busy(result)
    assert _count(engine, AccessLogEntry) == 0 and _count(engine, ImportBatch) == 0


def test_a_dry_run_answers_while_another_import_holds_the_database(runner: CliRunner, engine: Engine) -> None:
    with write_lock_held(engine):
        result = runner.invoke(app, ["import", "people", str(SAMPLES / "people.csv"), "--dry-run"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "would store 2" in result.output and _count(engine, ImportBatch) == 0
