"""`compliance staff` and `compliance audit verify` through typer's runner, on a demo database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from dashboard.cli.main import app

runner = CliRunner()


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "--users", "60", "--days", "30", "--end", "2026-11-02T12:00:00"]).exit_code == 0
    return url


def test_staff_add_list_disable_and_the_production_check(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLIANCE_NEW_PASSWORD", "a long enough password")
    added = runner.invoke(app, ["staff", "add", "r.real", "--role", "manager", "--name", "Real Person"])
    assert added.exit_code == 0, added.output
    listing = runner.invoke(app, ["staff", "list"])
    assert "r.real" in listing.output and "argon2" not in listing.output and "a long enough" not in listing.output
    assert runner.invoke(app, ["staff", "add", "r.real", "--role", "manager"]).exit_code == 2
    monkeypatch.setenv("COMPLIANCE_NEW_PASSWORD", "short")
    weak = runner.invoke(app, ["staff", "passwd", "r.real"])
    assert weak.exit_code == 2 and "password" in weak.output
    assert runner.invoke(app, ["staff", "check-production"]).exit_code == 1
    for name in ("manager", "executive", "auditor", "admin"):
        assert runner.invoke(app, ["staff", "disable", name]).exit_code == 0
    assert runner.invoke(app, ["staff", "check-production"]).exit_code == 0


def test_demo_refuses_to_load_in_production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("COMPLIANCE_ENV", "production")
    result = runner.invoke(app, ["demo", "--users", "20"])
    assert result.exit_code == 2 and "production" in result.output


def test_audit_verify_passes_then_names_the_row_an_update_altered(demo_db: str) -> None:
    runner.invoke(app, ["staff", "disable", "executive"])  # at least one audit entry
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0 and intact.output.startswith("intact:")
    engine = create_engine(demo_db)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 1"))
    engine.dispose()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "entry 1" in broken.output


def test_cutting_off_the_newest_entries_is_caught_against_a_recorded_head(demo_db: str) -> None:
    runner.invoke(app, ["staff", "disable", "executive"])
    runner.invoke(app, ["staff", "disable", "auditor"])
    head = runner.invoke(app, ["audit", "verify"]).output.strip().rsplit(" ", 1)[-1]
    engine = create_engine(demo_db)
    with engine.begin() as connection:  # a careful intruder removes the newest entry and moves the head back
        newest = connection.execute(text("SELECT MAX(id) FROM audit_log")).scalar()
        previous = connection.execute(text("SELECT entry_hash FROM audit_log WHERE id = :id"),
                                      {"id": newest - 1}).scalar()
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": newest})
        connection.execute(text("UPDATE audit_head SET last_id = :id, last_hash = :h"), {"id": newest - 1,
                                                                                         "h": previous})
    engine.dispose()
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # invisible without a recorded head
    cut = runner.invoke(app, ["audit", "verify", "--head", head])
    assert cut.exit_code == 1 and "head" in cut.output


def test_the_audit_log_names_the_cli_user_by_login_and_by_os_user_id(demo_db: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """LOGNAME is whatever the shell says; the user id is the operating system's, so both are recorded."""
    monkeypatch.setenv("LOGNAME", "mallory")
    assert runner.invoke(app, ["staff", "disable", "executive"]).exit_code == 0
    engine = create_engine(demo_db)
    with engine.connect() as connection:
        actor = connection.execute(text("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    assert actor == f"cli:mallory (uid {os.getuid()})"
