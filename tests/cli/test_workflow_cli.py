"""The working CLI commands through typer's runner: optouts report and import, requests new,
OpenDSR, auto-close."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from dashboard.checks.catalogue import CHECKS
from dashboard.cli.main import app
from data_access.models import PreferenceEvent
from tests.cli.conftest import DemoDb

runner = CliRunner()


def test_report_prints_the_months_figures_as_json_and_as_a_table(demo_db: DemoDb) -> None:
    result = runner.invoke(app, ["optouts", "report", "--month", "2026-10", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["month"] == "2026-10" and set(body["channels"]) == {"email", "sms"}
    email = body["channels"]["email"]
    assert 0 < email["opted_out"] < email["reachable"]
    assert email["opt_out_rate"] == pytest.approx(email["opted_out"] / email["reachable"], abs=1e-4)
    assert "can-spam" in body["honour"]
    table = runner.invoke(app, ["optouts", "report", "--month", "2026-10"])
    assert table.exit_code == 0 and "Opt-outs, 2026-10" in table.output and "can-spam" in table.output


def test_report_refuses_a_bad_month_naming_the_option() -> None:
    result = runner.invoke(app, ["optouts", "report", "--month", "October"])
    assert result.exit_code == 2 and "--month" in result.output


def test_import_counts_as_json_then_reimport_stores_nothing(demo_db: DemoDb) -> None:
    emails = runner.invoke(app, ["optouts", "import", "--template"])
    assert emails.exit_code == 0 and emails.output.startswith("email,phone,user,channel,received_at")
    listing = demo_db.dir / "list.csv"
    listing.write_text(
        "user,channel,received_at\n1,email,2026-10-30T10:00:00+00:00\n"
        "999999,email,2026-10-30T10:00:00+00:00\n"
    )
    first = runner.invoke(app, ["optouts", "import", str(listing), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {"read": 2, "stored": 1, "updated": 0, "rejected": 1, "duplicates": 0}
    again = runner.invoke(app, ["optouts", "import", str(listing)])
    assert again.exit_code == 0 and "stored 0, updated 0, rejected 2 (of which 1 duplicates)" in again.output
    assert "list.csv:3: user: no person has this value" in again.output


def test_optouts_honour_marks_a_pending_opt_out_once_and_names_a_bad_time(demo_db: DemoDb) -> None:
    listing = demo_db.dir / "pending.csv"
    listing.write_text("user,channel,received_at\n1,email,2026-10-30T10:00:00+00:00\n")
    assert runner.invoke(app, ["optouts", "import", str(listing)]).exit_code == 0
    engine = create_engine(demo_db.url)
    with engine.connect() as connection:
        opt_out = connection.execute(
            select(PreferenceEvent.id).where(
                PreferenceEvent.received_at == datetime(2026, 10, 30, 10, tzinfo=UTC)
            )
        ).scalar_one()
    early = runner.invoke(app, ["optouts", "honour", str(opt_out), "--at", "2026-10-30T09:00:00+00:00"])
    assert early.exit_code == 2 and "--at: the suppression cannot be applied before" in early.output
    done = runner.invoke(app, ["optouts", "honour", str(opt_out), "--at", "2026-10-30T12:00:00+00:00"])
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert (body["opt_out"], body["honoured_at"]) == (opt_out, "2026-10-30T12:00:00+00:00")
    later = runner.invoke(app, ["optouts", "honour", str(opt_out), "--at", "2026-10-30T13:00:00+00:00"])
    assert later.exit_code == 2 and "already marked applied" in later.output
    with engine.connect() as connection:
        stored = connection.execute(
            select(PreferenceEvent.honoured_at, PreferenceEvent.honour_by).where(
                PreferenceEvent.id == opt_out
            )
        ).one()
    engine.dispose()
    assert stored.honoured_at is not None and stored.honour_by.isoformat() == body["honour_by"]


def test_requests_new_prints_reference_and_deadlines_and_names_a_bad_option(demo_db: DemoDb) -> None:
    result = runner.invoke(
        app,
        [
            "requests",
            "new",
            "--name",
            "Ann Example",
            "--type",
            "access",
            "--received",
            "2026-01-31T10:00:00+00:00",
            "--email",
            "ann@example.com",
            "--country",
            "DE",
            "--channel",
            "phone",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (
        body["regime"] == "gdpr" and body["due"] == "2026-03-02" and body["reference"].startswith("DSR-2026-")
    )
    bad = runner.invoke(
        app,
        [
            "requests",
            "new",
            "--name",
            "Ann",
            "--type",
            "access",
            "--received",
            "2026-01-31T10:00:00+00:00",
            "--email",
            "nope",
        ],
    )
    assert bad.exit_code == 2 and "--email:" in bad.output


def test_opendsr_import_then_export_and_auto_close(demo_db: DemoDb) -> None:
    payload = demo_db.dir / "dsr.json"
    payload.write_text(
        json.dumps(
            {
                "subject_request_id": "a7551968-d5d6-44b2-9831-815ac9017798",
                "subject_request_type": "access",
                "submitted_time": "2026-10-02T15:00:00Z",
                "subject_identities": [{"identity_type": "email", "identity_value": "x@example.com"}],
            }
        )
    )
    imported = runner.invoke(app, ["requests", "import-opendsr", str(payload), "--json"])
    assert json.loads(imported.output) == {"read": 1, "stored": 1, "rejected": 0, "duplicates": 0}
    exported = json.loads(runner.invoke(app, ["requests", "export-opendsr"]).output)
    assert [s["subject_request_id"] for s in exported] == ["a7551968-d5d6-44b2-9831-815ac9017798"]
    closed = runner.invoke(app, ["requests", "auto-close"])
    assert closed.exit_code == 0 and "closed" in closed.output and "DSR-2026-" in closed.output


def test_check_exits_1_on_the_planted_demo_and_0_on_a_clean_one(
    demo_db: DemoDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = runner.invoke(app, ["check", "--json", "--as-of", "2026-11-02T12:00:00"])
    assert failing.exit_code == 1, failing.output
    body = json.loads(failing.output)
    assert body["passed"] is False and {c["key"] for c in body["checks"] if c["status"] == "fail"}
    assert all(
        c["evidence_complete"] for c in body["checks"]
    )  # the demo's lists are far below the CLI's limit
    unknown = runner.invoke(app, ["check", "--only", "nope"])
    assert unknown.exit_code == 2 and "--only" in unknown.output
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'clean.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (
        runner.invoke(app, ["demo", "--clean", "--users", "200", "--end", "2026-11-02T12:00:00"]).exit_code
        == 0
    )
    passing = runner.invoke(app, ["check", "--as-of", "2026-11-02T12:00:00"])
    assert passing.exit_code == 0, passing.output
    assert passing.output.count("PASS") == len(CHECKS)  # every check of the catalogue, incidents' included


def test_export_commands_write_verifiable_files_and_refuse_an_empty_period(demo_db: DemoDb) -> None:
    out = demo_db.dir / "evidence.zip"
    result = runner.invoke(
        app, ["export", "evidence", str(out), "--from", "2026-08-01", "--to", "2026-11-03", "--masked"]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        sums = dict(line.split("  ")[::-1] for line in archive.read("SHA256SUMS").decode().splitlines())
        assert all(hashlib.sha256(archive.read(n)).hexdigest() == d for n, d in sums.items())
    pdf, xlsx = demo_db.dir / "r.pdf", demo_db.dir / "r.xlsx"
    assert (
        runner.invoke(
            app, ["export", "report", str(pdf), "--from", "2026-08-01", "--to", "2026-11-03"]
        ).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (
        runner.invoke(
            app, ["export", "workbook", str(xlsx), "--from", "2026-08-01", "--to", "2026-11-03"]
        ).exit_code
        == 0
    )
    assert xlsx.read_bytes().startswith(b"PK")
    backwards = runner.invoke(
        app, ["export", "report", str(pdf), "--from", "2026-11-03", "--to", "2026-08-01"]
    )
    assert backwards.exit_code == 2 and "--to" in backwards.output
