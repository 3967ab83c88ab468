"""The one demo database the CLI tests run on: migrated and loaded through the CLI itself, per test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli.main import app

DEMO_SIZE = (300, 120)  # users, days; a test module may set its own DEMO_SIZE when fewer will do


@dataclass(frozen=True)
class DemoDb:
    url: str
    dir: Path  # the test's own directory, holding the database, for the files a test writes


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoDb:
    users, days = getattr(request.module, "DEMO_SIZE", DEMO_SIZE)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    loaded = runner.invoke(
        app, ["demo", "--users", str(users), "--days", str(days), "--end", "2026-11-02T12:00:00"]
    )
    assert loaded.exit_code == 0, loaded.output
    return DemoDb(url, tmp_path)
