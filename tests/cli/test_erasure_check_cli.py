"""`compliance check` flags an erasure whose recipients were not told within 30 days, and stops once
each is."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli.main import app
from dashboard.services.erasure_follow_through import NoticeEntry, confirm_completion, record_recipient_notice
from data_access.db import make_engine, session_factory
from tests.erasure_case import MANAGER, erase_someone

runner = CliRunner()


def test_check_fails_while_an_erasures_notices_are_outstanding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'erasure.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    engine = make_engine(url)
    case = erase_someone(engine)
    later = (datetime.now(UTC) + timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%S")
    args = [
        "check",
        "--json",
        "--as-of",
        later,
        "--only",
        "erasure-recipients-notified",
        "--only",
        "erasure-contact-removed",
    ]
    failing = runner.invoke(app, args)
    assert failing.exit_code == 1, failing.output
    assert {c["key"]: c["evidence_rows"] for c in json.loads(failing.output)["checks"]} == {
        "erasure-recipients-notified": 2,
        "erasure-contact-removed": 1,
    }
    with session_factory(engine)() as session:
        for recipient_id in case.recipients.values():
            record_recipient_notice(
                session=session,
                principal=MANAGER,
                request_id=case.request_id,
                entry=NoticeEntry(recipient_id=recipient_id, sent_at=datetime.now(UTC), channel="email"),
            )
        confirm_completion(session=session, principal=MANAGER, request_id=case.request_id, channel="email")
        session.commit()
    engine.dispose()
    passing = runner.invoke(app, args)
    assert passing.exit_code == 0, passing.output
