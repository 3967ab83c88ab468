"""People imports upsert by user id on SQLite and PostgreSQL: a re-import of the same file stores and updates
nothing (every row unchanged), a changed email updates the person and leaves field history like a correction,
audited; a dry run says what would be updated and writes nothing; an erased person is never re-created.
Recipients upsert by name the same way, through the register's rules, their history naming the record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.fulfilment.erasure import fulfil_deletion
from dashboard.imports.kinds import KINDS
from dashboard.imports.report import ImportReport
from dashboard.imports.runner import import_file
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import change_status
from data_access.models import (
    AuditEntry,
    Contact,
    FieldChange,
    ImportBatch,
    PersistentIdentifier,
    Person,
    Recipient,
    RejectedRow,
)
from data_access.models.enums import RequestChannel, RequestStatus, RequestType
from tests.conftest import DEMO_END
from tests.services.test_importers import MANAGER, SAMPLES

PEOPLE = (SAMPLES / "people.csv").read_text()


def _import(session: Session, text: str, *, dry_run: bool = False) -> ImportReport:
    report = import_file(
        session=session,
        principal=MANAGER,
        kind=KINDS["people"],
        data=text.encode(),
        source="people.csv",
        dry_run=dry_run,
    )
    session.commit()
    return report


def _changed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_reimporting_the_same_people_stores_nothing_and_updates_nothing(session: Session) -> None:
    first = _import(session, PEOPLE)
    assert (first.stored, first.updated, first.unchanged) == (2, 0, 0)
    again = _import(session, PEOPLE)
    assert (again.read, again.stored, again.updated, again.unchanged, again.rejected) == (2, 0, 0, 2, 0)
    assert again.counts() == {
        "read": 2,
        "stored": 0,
        "updated": 0,
        "unchanged": 2,
        "rejected": 0,
        "duplicates": 0,
    }
    assert session.scalar(select(func.count()).select_from(FieldChange)) == 0
    batch = session.get(ImportBatch, again.batch_id)
    assert batch is not None and (batch.rows_stored, batch.rows_updated, batch.rows_unchanged) == (0, 0, 2)


def test_a_changed_email_updates_the_person_with_field_history_and_an_audit_entry(session: Session) -> None:
    _import(session, PEOPLE)
    changed = _changed(PEOPLE, "ada.sample@example.com", "ada.new@example.com")
    report = _import(session, changed)
    assert (report.stored, report.updated, report.unchanged, report.rejected) == (0, 1, 1, 0)
    person = session.scalar(select(Person).where(Person.external_ref == "U9000001"))
    assert person is not None and person.contact is not None and person.contact.email == "ada.new@example.com"
    history = session.scalars(select(FieldChange).where(FieldChange.person_id == person.id)).all()
    assert [
        (h.table_name, h.field, h.old_value, h.new_value, h.changed_by, h.subject_request_id) for h in history
    ] == [("contacts", "email", "ada.sample@example.com", "ada.new@example.com", "manager", None)]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.import_update")).all()
    assert [(a.object_type, a.object_id) for a in audit] == [("person", str(person.id))]
    assert audit[0].details is not None and audit[0].details["fields"] == ["contacts.email"]
    assert audit[0].details["batch_id"] == report.batch_id
    assert "ada.new@example.com" not in str(audit[0].details)  # the values live in the field history alone
    batch = session.get(ImportBatch, report.batch_id)
    assert batch is not None and (batch.rows_stored, batch.rows_updated, batch.rows_unchanged) == (0, 1, 1)
    assert _import(session, changed).updated == 0  # and the changed file is itself idempotent


def test_name_billing_and_google_id_changes_are_each_recorded(session: Session) -> None:
    _import(session, PEOPLE)
    changed = _changed(
        _changed(_changed(PEOPLE, "Ada Sample", "Ada Lovelace"), "Hauptstr. 5", "Ringstr. 9"),
        "109876543210987654321",
        "555",
    )
    assert _import(session, changed).updated == 2
    fields = set(
        session.execute(select(FieldChange.table_name, FieldChange.field, FieldChange.new_value)).all()
    )
    assert fields == {
        ("contacts", "full_name", "Ada Lovelace"),
        ("billing_profiles", "address_line", "Ringstr. 9"),
        ("identifiers", "google_id", "555"),
    }
    assert (
        session.scalar(
            select(PersistentIdentifier.value).join(Person).where(Person.external_ref == "U9000001")
        )
        == "555"
    )


def test_an_empty_cell_leaves_the_stored_value(session: Session) -> None:
    _import(session, PEOPLE)
    blanked = _changed(PEOPLE, "+1 415 555 0101", "")
    assert _import(session, blanked).updated == 0
    assert session.scalar(select(Contact.phone).where(Contact.phone.is_not(None))) == "+1 415 555 0101"


def test_a_dry_run_says_what_would_be_updated_and_writes_nothing(session: Session) -> None:
    _import(session, PEOPLE)
    changed = _changed(PEOPLE, "ada.sample@example.com", "ada.new@example.com")
    dry = _import(session, changed, dry_run=True)
    assert (dry.stored, dry.updated, dry.unchanged, dry.batch_id) == (0, 1, 1, None)
    assert session.scalar(select(func.count()).select_from(FieldChange)) == 0
    assert session.scalar(select(Contact.email).where(Contact.email.like("ada%"))) == "ada.sample@example.com"


def test_a_username_taken_by_someone_else_is_rejected_naming_the_field(session: Session) -> None:
    _import(session, PEOPLE)
    clash = _changed(PEOPLE, "U9000001,ada.sample,", "U9000001,bo.sample,")
    for dry_run in (True, False):
        report = _import(session, clash, dry_run=dry_run)
        assert (report.updated, report.rejected) == (0, 1)
        assert [(e.line, e.field) for e in report.errors] == [(2, "username")]
        assert "bo.sample" in report.errors[0].reason and "another person" in report.errors[0].reason


def _erase(engine: Engine, session: Session, ref: str) -> None:
    person = session.scalar(select(Person).where(Person.external_ref == ref))
    assert person is not None and person.contact is not None
    request = create_request(
        session=session,
        principal=MANAGER,
        intake=RequestIntake(
            requester_name="Ada",
            request_type=RequestType.DELETION,
            channel=RequestChannel.WEB_FORM,
            received_at=DEMO_END,
            requester_email=person.contact.email,
            country="US",
            person_id=person.id,
        ),
    )
    for target in (RequestStatus.VERIFYING, RequestStatus.IN_PROGRESS):
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=target,
        )
    fulfil_deletion(
        session=session, principal=MANAGER, request_id=request.id, expected_version=request.version
    )
    session.commit()


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_erased_person_is_not_recreated_by_an_import(
    engine: Engine, session: Session, dry_run: bool
) -> None:
    _import(session, PEOPLE)
    _erase(engine, session, "U9000001")
    people = session.scalar(select(func.count()).select_from(Person))
    report = _import(session, PEOPLE, dry_run=dry_run)
    assert (report.stored, report.updated, report.unchanged, report.rejected) == (0, 0, 1, 1)
    assert [(e.line, e.field) for e in report.errors] == [(2, "user_id")]
    assert "erased" in report.errors[0].reason
    assert session.scalar(select(func.count()).select_from(Person)) == people
    assert session.scalar(select(Person.id).where(Person.external_ref == "U9000001")) is None
    assert "U9000001" not in str(session.scalars(select(Person.external_ref)).all())  # the tombstone is keyed
    if not dry_run:  # the refused line is not kept: it would bring the erased values back
        raw = session.scalars(select(RejectedRow.raw).where(RejectedRow.batch_id == report.batch_id)).all()
        assert raw == [None]


RECIPIENTS = (SAMPLES / "recipients.csv").read_text()


def _import_recipients(session: Session, text: str, *, dry_run: bool = False) -> ImportReport:
    report = import_file(
        session=session,
        principal=MANAGER,
        kind=KINDS["recipients"],
        data=text.encode(),
        source="recipients.csv",
        dry_run=dry_run,
    )
    session.commit()
    return report


def test_a_recipient_reimported_is_unchanged_and_a_signed_dpa_updates_it_with_history(
    session: Session,
) -> None:
    assert _import_recipients(session, RECIPIENTS).stored == 1
    again = _import_recipients(session, RECIPIENTS)
    assert (again.stored, again.updated, again.unchanged, again.rejected) == (0, 0, 1, 0)
    changed = _changed(
        RECIPIENTS,
        "signed,2024-01-10,true,user.contact.email;user.name",
        "signed,2025-02-01,false,user.name;user.contact.email;user.contact.phone_number",
    )
    dry = _import_recipients(session, changed, dry_run=True)
    assert (dry.updated, dry.unchanged) == (1, 0) and session.scalar(
        select(func.count()).select_from(FieldChange)
    ) == 0
    report = _import_recipients(session, changed)
    assert (report.stored, report.updated, report.unchanged, report.rejected) == (0, 1, 0, 0)
    recipient = session.scalar(select(Recipient).where(Recipient.name == "Sample Mail Platform"))
    assert (
        recipient is not None and recipient.approved is False and recipient.dpa_signed_on == date(2025, 2, 1)
    )
    assert sorted(recipient.allowed_categories) == [
        "user.contact.email",
        "user.contact.phone_number",
        "user.name",
    ]
    history = session.execute(
        select(
            FieldChange.person_id,
            FieldChange.record_id,
            FieldChange.table_name,
            FieldChange.field,
            FieldChange.old_value,
            FieldChange.new_value,
        ).order_by(FieldChange.id)
    ).all()
    assert history == [
        (None, recipient.id, "recipients", "dpa_signed_on", "2024-01-10", "2025-02-01"),
        (None, recipient.id, "recipients", "approved", "true", "false"),
        (
            None,
            recipient.id,
            "recipients",
            "allowed_categories",
            "user.contact.email;user.name",
            "user.contact.email;user.contact.phone_number;user.name",
        ),
    ]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "recipient.update")).all()
    assert [(a.object_id, a.details["fields"], a.details["batch_id"]) for a in audit] == [
        (str(recipient.id), ["dpa_signed_on", "approved", "allowed_categories"], report.batch_id)
    ]
    assert _import_recipients(session, changed).unchanged == 1  # categories in another order are the same set


def test_a_recipient_update_obeys_the_register_rules(session: Session) -> None:
    _import_recipients(session, RECIPIENTS)
    future = _changed(RECIPIENTS, "2024-01-10", "2099-01-01")
    unknown = _changed(RECIPIENTS, "user.name", "user.shoe_size")
    for text, field in ((future, "dpa_signed_on"), (unknown, "allowed_categories")):
        for dry_run in (True, False):
            report = _import_recipients(session, text, dry_run=dry_run)
            assert (report.updated, [(e.line, e.field) for e in report.errors]) == (0, [(2, field)])
    assert session.scalar(select(func.count()).select_from(FieldChange)) == 0
