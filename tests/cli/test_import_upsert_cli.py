"""`compliance import people` upserts: a re-import says unchanged, a changed email says updated (dry
run: would update), in the text line and in the JSON counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli.main import app
from tests.services.test_importers import SAMPLES

runner = CliRunner()


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def test_reimport_is_unchanged_and_a_changed_email_is_updated(empty_db: Path) -> None:
    people = SAMPLES / "people.csv"
    first = runner.invoke(app, ["import", "people", str(people), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {
        "read": 2,
        "stored": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "duplicates": 0,
    }
    again = runner.invoke(app, ["import", "people", str(people)])
    assert again.exit_code == 0 and "read 2, stored 0, updated 0, unchanged 2, rejected 0" in again.output
    changed = empty_db / "changed.csv"
    changed.write_text(people.read_text().replace("ada.sample@example.com", "ada.new@example.com"))
    dry = runner.invoke(app, ["import", "people", str(changed), "--dry-run"])
    assert (
        dry.exit_code == 0 and "read 2, would store 0, would update 1, unchanged 1, rejected 0" in dry.output
    )
    done = runner.invoke(app, ["import", "people", str(changed), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {
        "read": 2,
        "stored": 0,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
        "duplicates": 0,
    }
