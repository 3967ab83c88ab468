"""`compliance ingest`: the summary line, `--json` totals over several files, events, and exit 1
only for a file that cannot be read (named on stderr) while the readable files are still imported,
each in its own transaction."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from dashboard.cli.main import app
from data_access.db import session_factory
from data_access.models import AccessLogEntry, ImportBatch, UsageEvent

CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"
LINE = (
    '203.0.113.5 - - [05/Oct/2026:09:00:{s:02d} +0000] "GET /app HTTP/1.1" 200 512 "-" '
    '"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"\n'
)


@pytest.fixture
def runner(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return CliRunner()


def _count(engine: Engine, model: type) -> int:
    with session_factory(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_json_totals_add_up_over_files_and_a_second_run_is_all_duplicates(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.log.gz"
    extra.write_bytes(gzip.compress("".join(LINE.format(s=s) for s in range(10)).encode()))
    first = runner.invoke(app, ["ingest", "access-log", str(CORPUS), str(extra), "--json"])
    assert first.exit_code == 0, first.output
    counts = json.loads(first.stdout)  # stdout holds the JSON object and nothing else
    assert list(counts) == ["read", "stored", "rejected", "duplicates"]
    assert all(isinstance(v, int) for v in counts.values())
    assert (
        counts["read"] == len(CORPUS.read_bytes().splitlines()) + 10 == counts["stored"] + counts["rejected"]
    )
    assert counts["duplicates"] == 0 and counts["stored"] == _count(engine, AccessLogEntry)
    again = json.loads(runner.invoke(app, ["ingest", "access-log", str(CORPUS), str(extra), "--json"]).stdout)
    assert (again["read"], again["stored"], again["duplicates"]) == (counts["read"], 0, counts["stored"])
    assert again["rejected"] == counts["rejected"] + counts["stored"]


def test_without_json_each_file_gets_a_summary_line(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "small.log"
    log.write_text(LINE.format(s=1) + "garbage\n")
    result = runner.invoke(app, ["ingest", "access-log", str(log)])
    assert result.exit_code == 0, result.output
    assert "small.log" in result.stdout and "read 2" in result.stdout and "stored 1" in result.stdout
    assert "rejected 1" in result.stdout


def test_an_unreadable_file_exits_1_naming_it_and_the_others_are_still_imported(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    good = tmp_path / "good.log"
    good.write_text("".join(LINE.format(s=s) for s in range(3)))
    whole = gzip.compress("".join(LINE.format(s=s % 60) for s in range(3_000)).encode())
    damaged = tmp_path / "damaged.log.gz"
    damaged.write_bytes(whole[: len(whole) // 2])
    result = runner.invoke(
        app, ["ingest", "access-log", str(tmp_path / "missing.log"), str(damaged), str(good), "--json"]
    )
    assert result.exit_code == 1
    assert "missing.log" in result.stderr and "damaged.log.gz" in result.stderr
    assert json.loads(result.stdout) == {"read": 3, "stored": 3, "rejected": 0, "duplicates": 0}
    assert _count(engine, AccessLogEntry) == 3  # the damaged file's transaction was rolled back whole
    assert _count(engine, ImportBatch) == 1


def test_events_json_and_a_csv_without_required_columns(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        json.dumps({"ts": "2026-10-05T09:00:00Z", "feature": "invoices", "action": "view"})
        + "\n"
        + "{broken\n"
    )
    result = runner.invoke(app, ["ingest", "events", str(events), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"read": 2, "stored": 1, "rejected": 1, "duplicates": 0}
    headless = tmp_path / "wrong.csv"
    headless.write_text("when,what\n2026-10-05T09:00:00Z,x\n")
    refused = runner.invoke(app, ["ingest", "events", str(headless)])
    assert refused.exit_code == 1 and "wrong.csv" in refused.stderr
    assert _count(engine, UsageEvent) == 1
