"""The `compliance` CLI through typer's runner: migrate, demo, and the deadline commands."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dashboard.cli.main import app

runner = CliRunner()


def test_db_upgrade_then_demo_then_demo_if_empty_is_a_no_op(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    loaded = runner.invoke(app, ["demo", "--users", "40", "--days", "30", "--end", "2026-11-02T12:00:00"])
    assert loaded.exit_code == 0, loaded.output
    assert "people" in loaded.output and "40" in loaded.output
    again = runner.invoke(app, ["demo", "--if-empty"])
    assert again.exit_code == 0 and "already holds data" in again.output
    refused = runner.invoke(app, ["demo", "--users", "40"])
    assert refused.exit_code == 2


def test_requests_due_prints_the_legal_rules_json_shape() -> None:
    result = runner.invoke(
        app,
        [
            "requests",
            "due",
            "--regime",
            "gdpr",
            "--received",
            "2024-11-25T10:00:00+00:00",
            "--calendar",
            "GB-ENG",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "regime": "gdpr",
        "type": None,
        "received": "2024-11-25T10:00:00+00:00",
        "acknowledge_by": None,
        "due": "2024-12-27",
        "extended_due": "2025-02-25",
    }


def test_optouts_deadline_prints_the_legal_rules_json_shape() -> None:
    result = runner.invoke(
        app,
        [
            "optouts",
            "deadline",
            "--rule",
            "can-spam",
            "--received",
            "2026-11-20T09:00:00-05:00",
            "--tz",
            "America/New_York",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["rule"] == "can-spam" and body["basis"] == "law"
    assert body["honour_by"] == "2026-12-07"  # 10 business days, skipping Thanksgiving (26 Nov)


def test_unknown_regime_is_an_error_naming_the_option() -> None:
    result = runner.invoke(app, ["requests", "due", "--regime", "mars", "--received", "2026-01-01T00:00:00Z"])
    assert result.exit_code == 2
    assert "--regime" in result.output and "mars" in result.output
