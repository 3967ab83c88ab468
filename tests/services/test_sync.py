"""The sync connector against a real second database built like a billing platform's: a first run creates
everyone, an incremental run picks up only the rows changed since, and a bad mapping names its
field. An update leaves field history and an audit entry like an import's; an erased person is not
re-created."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    Engine,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.sync import MappingError, load_mapping, sync_people
from data_access.models import AuditEntry, Contact, FieldChange, Person, SyncState
from data_access.models.enums import Role
from tests.services.test_import_upsert import _erase

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
MAPPING = Path(__file__).resolve().parents[2] / "docs" / "import-samples" / "sync-mapping.yaml"


def test_a_first_run_creates_everyone_and_an_incremental_run_only_the_changes(
    session: Session, billing_db: str
) -> None:
    mapping = load_mapping(MAPPING)
    first = sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    session.commit()
    assert (first.read, first.created, first.updated) == (5, 5, 0)
    assert (
        session.scalar(select(Contact.email).join(Person).where(Person.external_ref == "3"))
        == "user3@example.com"
    )
    source = create_engine(billing_db)
    users = Table("users", MetaData(), autoload_with=source)
    with source.begin() as connection:
        connection.execute(
            update(users).where(users.c.id == 2).values(name="User Two", updated_at=datetime(2025, 3, 1))
        )
        connection.execute(
            insert(users).values(
                id=6,
                login="user6",
                name="User 6",
                email="u6@example.com",
                country="DE",
                created_at=datetime(2025, 3, 2),
                updated_at=datetime(2025, 3, 2),
            )
        )
    source.dispose()
    second = sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    session.commit()
    assert (second.read, second.created, second.updated) == (2, 1, 1)
    assert (
        session.scalar(select(Contact.full_name).join(Person).where(Person.external_ref == "2")) == "User Two"
    )
    assert session.scalar(select(Person.country).where(Person.external_ref == "6")) == "DE"
    third = sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    assert third.read == 0
    state = session.scalars(select(SyncState)).one()
    assert state.high_water is not None and state.high_water.replace(tzinfo=None) == datetime(2025, 3, 2)


def test_a_mapping_that_does_not_fit_names_the_field(
    tmp_path: Path, session: Session, billing_db: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "table: users\nkey: id\nupdated_at: updated_at\ncolumns:\n  shoe_size: login\n  country: country\n"
    )
    with pytest.raises(MappingError) as error:
        load_mapping(bad)
    assert error.value.field == "columns"
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("table: users\nkey: id\nupdated_at: modified\ncolumns:\n  country: country\n")
    with pytest.raises(MappingError, match="no column modified"):
        sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=load_mapping(wrong))


def test_a_sync_update_leaves_field_history_and_an_erased_person_is_not_recreated(
    engine: Engine, session: Session, billing_db: str
) -> None:
    mapping = load_mapping(MAPPING)
    sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    session.commit()
    _erase(engine, session, "3")
    source = create_engine(billing_db)
    users = Table("users", MetaData(), autoload_with=source)
    with source.begin() as connection:
        connection.execute(
            update(users).where(users.c.id == 2).values(name="User Two", updated_at=datetime(2025, 3, 1))
        )
        connection.execute(
            update(users).where(users.c.id.in_([3, 4])).values(updated_at=datetime(2025, 3, 2))
        )
    source.dispose()
    people = session.scalar(select(func.count()).select_from(Person))
    report = sync_people(session=session, principal=MANAGER, source_url=billing_db, mapping=mapping)
    session.commit()
    assert (report.read, report.created, report.updated, report.unchanged, report.erased) == (3, 0, 1, 1, 1)
    assert session.scalar(select(func.count()).select_from(Person)) == people
    person = session.scalar(select(Person.id).where(Person.external_ref == "2"))
    assert session.execute(
        select(
            FieldChange.person_id,
            FieldChange.table_name,
            FieldChange.field,
            FieldChange.old_value,
            FieldChange.new_value,
        )
    ).all() == [(person, "contacts", "full_name", "User 2", "User Two")]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.import_update")).all()
    assert [(a.object_id, a.details["fields"]) for a in audit] == [(str(person), ["contacts.full_name"])]
