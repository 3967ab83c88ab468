"""The account's closure comes in with real data (issue 28): the people import's `account_status`
and `closed_at` columns and a sync mapping's `closed_at` set people.status and people.closed_at,
which the retention of an account runs from; a reopened account (open status, no closure time) loses
its closure; an update leaves field history and an audit entry; a contradictory row is rejected
naming its line and column. Both engines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, create_engine, select, update
from sqlalchemy.orm import Session

from dashboard.imports.sync import MappingError, load_mapping, sync_people
from dashboard.rules.field_error import FieldError
from dashboard.services.retention import past_retention
from data_access.models import AuditEntry, FieldChange, Person
from data_access.models.enums import AccountStatus
from tests.services.test_import_upsert import PEOPLE, _import
from tests.services.test_importers import MANAGER
from tests.services.test_sync import MAPPING

HEADER = "user_id,country,created_at,account_status,closed_at\n"
CLOSED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _person(session: Session, ref: str) -> Person:
    session.expire_all()
    person = session.scalar(select(Person).where(Person.external_ref == ref))
    assert person is not None
    return person


def test_an_imported_closure_closes_the_account_and_its_retention_runs_from_it(
    session: Session,
) -> None:
    report = _import(
        session,
        HEADER + "U1,GB,2025-01-01T00:00:00Z,,2026-03-01T13:00:00+01:00\n"
        "U2,GB,2025-01-01T00:00:00Z,active,\n",
    )
    assert (report.stored, report.rejected) == (2, 0), report.errors
    closed, open_ = _person(session, "U1"), _person(session, "U2")
    assert (closed.status, closed.closed_at) == (AccountStatus.CLOSED, CLOSED_AT)
    assert (open_.status, open_.closed_at) == (AccountStatus.ACTIVE, None)
    counted = {c.name: p.records for c, p in past_retention(session, datetime(2026, 4, 1, tzinfo=UTC))}
    assert counted.get("accounts") == 1  # 30 days from closure: past on 31 March
    assert "accounts" not in {c.name for c, _ in past_retention(session, datetime(2026, 3, 30, tzinfo=UTC))}


def test_a_reimport_that_reopens_the_account_clears_its_closure_with_history_and_audit(
    session: Session,
) -> None:
    _import(session, HEADER + "U1,GB,2025-01-01T00:00:00Z,closed,2026-03-01T12:00:00Z\n")
    same = _import(session, HEADER + "U1,GB,2025-01-01T00:00:00Z,,2026-03-01T13:00:00+01:00\n")
    assert (same.updated, same.unchanged) == (0, 1)  # the same instant, another offset
    silent = _import(session, HEADER + "U1,GB,2025-01-01T00:00:00Z,,\n")
    assert (silent.updated, silent.unchanged) == (0, 1)  # empty cells keep what is stored
    reopened = _import(session, HEADER + "U1,GB,2025-01-01T00:00:00Z,active,\n")
    assert (reopened.updated, reopened.rejected) == (1, 0), reopened.errors
    person = _person(session, "U1")
    assert (person.status, person.closed_at) == (AccountStatus.ACTIVE, None)
    history = session.execute(
        select(FieldChange.table_name, FieldChange.field, FieldChange.old_value, FieldChange.new_value)
        .where(FieldChange.person_id == person.id)
        .order_by(FieldChange.id)
    ).all()
    assert [tuple(h) for h in history] == [
        ("people", "status", "closed", "active"),
        ("people", "closed_at", CLOSED_AT.isoformat(), None),
    ]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.import_update")).one()
    assert audit.details is not None and audit.details["fields"] == [
        "people.status",
        "people.closed_at",
    ]
    closed_again = _import(session, HEADER + "U1,GB,2025-01-01T00:00:00Z,closed,2026-05-01T00:00:00Z\n")
    assert closed_again.updated == 1
    assert _person(session, "U1").closed_at == datetime(2026, 5, 1, tzinfo=UTC)


def test_a_contradictory_closure_is_rejected_naming_line_and_column(session: Session) -> None:
    report = _import(
        session,
        HEADER + "U1,GB,2025-01-01T00:00:00Z,closed,\n"
        "U2,GB,2025-01-01T00:00:00Z,active,2026-03-01T12:00:00Z\n"
        "U3,GB,2025-01-01T00:00:00Z,,2024-03-01T12:00:00Z\n"
        "U4,GB,2025-01-01T00:00:00Z,gone,\n"
        "U5,GB,2025-01-01T00:00:00Z,,2026-03-01 12:00\n",
    )
    assert (report.stored, report.rejected) == (0, 5)
    assert [(e.source, e.line, e.field) for e in report.errors] == [
        ("people.csv", 2, "closed_at"),
        ("people.csv", 3, "account_status"),
        ("people.csv", 4, "closed_at"),
        ("people.csv", 5, "account_status"),
        ("people.csv", 6, "closed_at"),
    ]
    assert "required when account_status is closed" in report.errors[0].reason
    assert "before the account's created_at" in report.errors[2].reason
    assert session.scalar(select(Person.id)) is None


def test_the_sample_people_file_still_imports_open_accounts(session: Session) -> None:
    assert _import(session, PEOPLE).stored == 2
    assert {p.status for p in session.scalars(select(Person))} == {AccountStatus.ACTIVE}


def _closure_mapping(tmp_path: Path) -> Path:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING.read_text() + "  closed_at: closed_at\n")
    return mapping


def test_a_sync_carries_the_closure_and_a_null_closure_reopens(
    tmp_path: Path, session: Session, billing_db: str
) -> None:
    source = create_engine(billing_db)
    with source.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN closed_at TIMESTAMP")
        users = Table("users", MetaData(), autoload_with=connection)
        connection.execute(update(users).where(users.c.id == 2).values(closed_at=datetime(2026, 3, 1, 12)))
    mapping = load_mapping(_closure_mapping(tmp_path))
    first = sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    session.commit()
    assert first.created == 5
    assert (_person(session, "2").status, _person(session, "2").closed_at) == (
        AccountStatus.CLOSED,
        CLOSED_AT,
    )
    assert _person(session, "1").status == AccountStatus.ACTIVE
    with source.begin() as connection:
        connection.execute(
            update(users).where(users.c.id == 2).values(closed_at=None, updated_at=datetime(2026, 4, 1))
        )
    second = sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    session.commit()
    assert (second.read, second.updated) == (1, 1)
    person = _person(session, "2")
    assert (person.status, person.closed_at) == (AccountStatus.ACTIVE, None)
    assert {(h.field, h.old_value, h.new_value) for h in session.scalars(select(FieldChange))} == {
        ("status", "closed", "active"),
        ("closed_at", CLOSED_AT.isoformat(), None),
    }
    with (
        source.begin() as connection
    ):  # closed before it was created: the whole sync is refused, naming the row
        connection.execute(
            update(users)
            .where(users.c.id == 3)
            .values(closed_at=datetime(2020, 1, 1), updated_at=datetime(2026, 5, 1))
        )
    source.dispose()
    with pytest.raises(FieldError, match="users row 3: closed_at"):
        sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)


def test_a_mapping_with_a_status_but_no_closure_time_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING.read_text() + "  account_status: state\n")
    with pytest.raises(MappingError, match="account_status needs closed_at"):
        load_mapping(mapping)
