"""`compliance check` names every check by its title (issue 25): in the text a person reads and in the JSON
(`title` beside the stable `key` that `--only` takes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.checks.catalogue import CHECKS
from dashboard.cli.main import app

runner = CliRunner()


def test_check_prints_each_title_and_gives_it_in_the_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    text = runner.invoke(app, ["check", "--as-of", "2026-11-02T12:00:00"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    for spec in CHECKS:
        assert [line for line in lines if spec.title in line and spec.key in line], spec.key
    body = json.loads(runner.invoke(app, ["check", "--json", "--as-of", "2026-11-02T12:00:00"]).output)
    assert {(c["key"], c["title"]) for c in body["checks"]} == {(spec.key, spec.title) for spec in CHECKS}
