"""`compliance staff` and `compliance audit verify` through typer's runner, on a demo database."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from dashboard.audit.chain import compute_hash
from dashboard.auth.service import sign_in
from dashboard.cli.main import app
from data_access.db import session_factory
from data_access.models import AuditEntry
from tests.cli.conftest import DemoDb

runner = CliRunner()


DEMO_SIZE = (60, 30)  # staff and the audit chain need few people


def _tamper(url: str, statement: str) -> None:
    """Write to the database directly, as an intruder (or an old version) would, bypassing the application."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_staff_add_list_disable_and_the_production_check(
    demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_NEW_PASSWORD", "a long enough password")
    added = runner.invoke(app, ["staff", "add", "r.real", "--role", "manager", "--name", "Real Person"])
    assert added.exit_code == 0, added.output
    listing = runner.invoke(app, ["staff", "list"])
    assert (
        "r.real" in listing.output
        and "argon2" not in listing.output
        and "a long enough" not in listing.output
    )
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


def test_audit_verify_passes_then_names_the_row_an_update_altered(demo_db: DemoDb) -> None:
    runner.invoke(app, ["staff", "disable", "executive"])  # at least one audit entry
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0 and intact.output.startswith("intact:")
    _tamper(demo_db.url, "UPDATE audit_log SET actor = 'mallory' WHERE id = 1")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "entry 1" in broken.output


def test_cutting_off_the_newest_entries_is_caught_without_and_with_a_recorded_head(demo_db: DemoDb) -> None:
    """Item 7: a cut tail with audit_head moved back passed `verify` without --head; the head is now keyed."""
    runner.invoke(app, ["staff", "disable", "executive"])
    runner.invoke(app, ["staff", "disable", "auditor"])
    anchored = runner.invoke(app, ["audit", "head"])
    assert anchored.exit_code == 0, anchored.output
    head = json.loads(anchored.output)
    assert head["last_id"] >= 2 and len(head["last_hash"]) == 64 and len(head["head_hmac"]) == 64
    assert runner.invoke(app, ["audit", "verify", "--head", head["last_hash"]]).exit_code == 0
    engine = create_engine(demo_db.url)
    with engine.begin() as connection:  # a careful intruder removes the newest entry and moves the head back
        newest = connection.execute(text("SELECT MAX(id) FROM audit_log")).scalar()
        previous = connection.execute(
            text("SELECT entry_hash FROM audit_log WHERE id = :id"), {"id": newest - 1}
        ).scalar()
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": newest})
        connection.execute(
            text("UPDATE audit_head SET last_id = :id, last_hash = :h"), {"id": newest - 1, "h": previous}
        )
    engine.dispose()
    cut = runner.invoke(app, ["audit", "verify"])
    assert cut.exit_code == 1 and "head" in cut.output and "key" in cut.output
    against = runner.invoke(app, ["audit", "verify", "--head", head["last_hash"]])
    assert against.exit_code == 1 and "head" in against.output
    assert runner.invoke(app, ["audit", "head"]).exit_code == 1  # a broken log is not anchored


def test_an_appended_entry_with_a_recomputed_sha256_fails_verify(demo_db: DemoDb) -> None:
    runner.invoke(app, ["staff", "disable", "executive"])
    engine = create_engine(demo_db.url)
    with engine.begin() as connection:
        last_id, last_hash = connection.execute(text("SELECT last_id, last_hash FROM audit_head")).one()
        at = datetime(2026, 11, 30, tzinfo=UTC)
        forged = compute_hash(
            last_hash, last_id + 1, at, "manager", "manager", "export.evidence", None, None, {}
        )
        connection.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, role, action, details, prev_hash, entry_hash) "
                "VALUES (:id, :at, 'manager', 'manager', 'export.evidence', '{}', :p, :h)"
            ),
            {"id": last_id + 1, "at": at.replace(tzinfo=None), "p": last_hash, "h": forged},
        )
        connection.execute(
            text("UPDATE audit_head SET last_id = :id, last_hash = :h"), {"id": last_id + 1, "h": forged}
        )
    engine.dispose()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output and "key" in result.output


def test_audit_digest_finds_the_failed_sign_ins_of_a_typed_name(demo_db: DemoDb) -> None:
    engine = create_engine(demo_db.url)
    with session_factory(engine)() as session:
        sign_in(session=session, username="Someone@Example.com", password="a guess", now=datetime.now(UTC))
        session.commit()
        stored = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "auth.sign_in_failed")
        ).all()
    engine.dispose()
    printed = runner.invoke(app, ["audit", "digest", "someone@example.com"])
    assert printed.exit_code == 0 and [d["username_digest"] for d in stored] == [printed.output.strip()]


def test_seal_after_an_upgrade_then_verify(demo_db: DemoDb) -> None:
    """A log from before keyed heads has an unsealed head: verify says so, `seal` checks the chain
    and seals it."""
    runner.invoke(app, ["staff", "disable", "executive"])
    _tamper(demo_db.url, "UPDATE audit_head SET head_hmac = NULL")
    unsealed = runner.invoke(app, ["audit", "verify"])
    assert unsealed.exit_code == 1 and "compliance audit seal" in unsealed.output
    sealed = runner.invoke(app, ["audit", "seal"])
    assert sealed.exit_code == 0 and sealed.output.startswith("sealed:")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_commands_that_write_the_audit_log_need_the_key_in_production(
    demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_ENV", "production")
    monkeypatch.delenv("COMPLIANCE_AUDIT_KEY")
    for command in (["staff", "disable", "executive"], ["audit", "verify"]):
        refused = runner.invoke(app, command)
        assert refused.exit_code == 2 and "COMPLIANCE_AUDIT_KEY" in refused.output, refused.output


def test_the_audit_log_names_the_cli_user_by_login_and_by_os_user_id(
    demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LOGNAME is whatever the shell says; the user id is the operating system's, so both are recorded."""
    monkeypatch.setenv("LOGNAME", "mallory")
    assert runner.invoke(app, ["staff", "disable", "executive"]).exit_code == 0
    engine = create_engine(demo_db.url)
    with engine.connect() as connection:
        actor = connection.execute(text("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    assert actor == f"cli:mallory (uid {os.getuid()})"
