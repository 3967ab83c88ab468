"""`compliance retention purge` on both engines: JSON counts per category, a dry run that changes nothing, the
check passing after the purge, and exit 1 with the accounts rolled back when the erasure scan still
finds a value."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from dashboard.cli.main import app
from data_access.db import session_factory
from data_access.models import AuditEntry, Contact, Person, PolicyVersion
from data_access.models.enums import AccountStatus
from tests.conftest import DEMO_END
from tests.retention_case import AS_OF, Planted, load_aged, past_counts, table_sizes

AS_OF_OPTION = ["--as-of", AS_OF.strftime("%Y-%m-%dT%H:%M:%S")]


@pytest.fixture
def aged(engine: Engine) -> tuple[Engine, Planted]:
    return engine, load_aged(engine)


@pytest.fixture
def runner(aged: tuple[Engine, Planted], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    engine, _ = aged
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return CliRunner()


def _purge(runner: CliRunner, *options: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["retention", "purge", "--json", *AS_OF_OPTION, *options])
    return result.exit_code, json.loads(result.stdout)


def test_dry_run_then_purge_then_the_check_passes(runner: CliRunner, aged: tuple[Engine, Planted]) -> None:
    engine, _ = aged
    counted, sizes = past_counts(engine), table_sizes(engine)
    code, dry = _purge(runner, "--dry-run")
    assert code == 0 and dry["dry_run"] is True and dry["passed"] is True
    assert {c["category"]: c["records"] for c in dry["categories"]} == counted  # type: ignore[index, union-attr]
    assert table_sizes(engine) == sizes

    code, done = _purge(runner)
    assert code == 0 and done["error"] is None
    categories = {c["category"]: c for c in done["categories"]}  # type: ignore[index, union-attr]
    assert {name: c["records"] for name, c in categories.items()} == counted
    assert categories["accounts"]["action"] == "erase" and categories["accounts"]["rows"]["contacts"] >= 3
    assert categories["subject_requests"]["action"] == "pseudonymise"
    check = runner.invoke(app, ["check", "--only", "records-past-retention", *AS_OF_OPTION])
    assert check.exit_code == 0 and "PASS" in check.output, check.output
    code, again = _purge(runner)
    assert code == 0 and again["categories"] == []
    text = runner.invoke(app, ["retention", "purge", *AS_OF_OPTION])
    assert text.exit_code == 0 and "nothing past its retention" in text.output


def test_a_value_the_scan_still_finds_rolls_the_accounts_back_and_exits_1(
    runner: CliRunner, aged: tuple[Engine, Planted]
) -> None:
    engine, planted = aged
    with session_factory(engine)() as session:
        contact = session.get(Contact, planted.twin)
        assert contact is not None
        session.add(
            PolicyVersion(
                version="x-test", effective_date=DEMO_END.date(), summary=f"ask {contact.email}", text="..."
            )
        )  # a place no erasure rule covers
        session.commit()
    code, body = _purge(runner)
    assert code == 1 and body["passed"] is False and "policy_versions.summary" in str(body["error"])
    assert "accounts" not in {c["category"] for c in body["categories"]}  # type: ignore[union-attr]
    with session_factory(engine)() as session:
        twin = session.get(Person, planted.twin)
        assert twin is not None and twin.status == AccountStatus.CLOSED  # the batch was rolled back
        assert session.get(Contact, planted.twin) is not None
        audited = session.scalars(
            select(AuditEntry.object_id).where(AuditEntry.action == "retention.purge")
        ).all()
        assert "access_log" in audited and "accounts" not in audited  # the categories before it stay purged
        assert (
            session.scalar(
                select(func.count()).select_from(Person).where(Person.status == AccountStatus.ANONYMISED)
            )
            == 0
        )
