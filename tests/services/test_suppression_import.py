"""Suppression-list import on SQLite and PostgreSQL: read = stored + updated + rejected, errors named by line
and field, nothing written by a dry run or by a refused file, a second import changes nothing, and a row that
brings the suppression time of an opt-out already stored completes it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.imports.csv_source import CsvFileError
from dashboard.imports.suppression import import_suppression_list
from data_access.models import (
    AuditEntry,
    CommunicationPreference,
    ImportBatch,
    OptOutHonourMonthly,
    PreferenceEvent,
    RejectedRow,
)
from data_access.models.enums import Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)

GOOD = """email,phone,user,channel,received_at,source,purpose,honoured_at
ann@example.com,,,email,2026-10-01T09:00:00+00:00,unsubscribe_link,,2026-10-01T10:00:00+00:00
,+1 555 0100,,sms,2026-10-02T09:00:00-04:00,reply_stop,marketing,
,,bob,email,2026-10-03T09:00:00+02:00,,,
"""

BAD = """email,phone,user,channel,received_at,source,purpose,honoured_at
nobody@example.com,,,email,2026-10-01T09:00:00+00:00,,,
ann@example.com,,,fax,2026-10-01T09:00:00+00:00,,,
ann@example.com,,,email,2026-10-01 09:00,,,
ann@example.com,,,email,yesterday,,,
ann@example.com,,,email,2026-10-05T09:00:00+00:00,pigeon,,
ann@example.com,,,email,2026-10-05T09:00:00+00:00,,,2026-10-04T09:00:00+00:00
,,,email,2026-10-05T09:00:00+00:00,,,
ann@example.com,,,email,2026-10-06T09:00:00+00:00,,,
ann@example.com,,,email,2026-10-06T09:00:00+00:00,,,
"""


@pytest.fixture
def people(session: Session) -> None:
    make_person(session, email="ann@example.com")
    make_person(session, email="carl@example.com", phone="+1 555 0100")
    bob = make_person(session, email="bob@example.com")
    bob.username = "bob"
    session.commit()


def _import(session: Session, body: str, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    report = import_suppression_list(
        session=session, principal=MANAGER, data=body.encode(), source="list.csv", dry_run=dry_run
    )
    session.commit()
    return report


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.usefixtures("people")
def test_a_good_file_is_stored_with_deadlines_state_batch_and_one_audit_entry(session: Session) -> None:
    report = _import(session, GOOD)
    assert report.counts() == {"read": 3, "stored": 3, "updated": 0, "rejected": 0, "duplicates": 0}
    events = session.scalars(select(PreferenceEvent).order_by(PreferenceEvent.received_at)).all()
    assert [e.rule for e in events] == ["can-spam", "tcpa", "can-spam"]
    assert all(e.honour_by and e.honour_deadline_at and e.batch_id == report.batch_id for e in events)
    assert _count(session, CommunicationPreference) == 3
    batch = session.get(ImportBatch, report.batch_id)
    assert batch is not None and (batch.rows_read, batch.rows_stored, batch.rows_rejected) == (3, 3, 0)
    assert session.scalar(select(func.count()).where(AuditEntry.action == "import.suppression")) == 1


@pytest.mark.usefixtures("people")
def test_every_class_of_error_is_named_by_line_and_field_and_valid_rows_still_go_in(session: Session) -> None:
    report = _import(session, BAD)
    assert report.read == 9 and report.read == report.stored + report.rejected
    named = [(e.line, e.field) for e in report.errors]
    assert named == [
        (2, "email"),
        (3, "channel"),
        (4, "received_at"),
        (5, "received_at"),
        (6, "source"),
        (7, "honoured_at"),
        (8, "email"),
        (10, None),
    ]
    assert "duplicate of line 9" in report.errors[-1].reason
    assert report.stored == 1 and report.duplicates == 1
    rows = session.scalars(select(RejectedRow).where(RejectedRow.batch_id == report.batch_id)).all()
    assert sorted(r.line_no for r in rows) == [2, 3, 4, 5, 6, 7, 8, 10]


@pytest.mark.usefixtures("people")
def test_importing_the_same_file_again_changes_nothing(session: Session) -> None:
    _import(session, GOOD)
    before = _count(session, PreferenceEvent)
    again = _import(session, GOOD)
    assert again.counts() == {"read": 3, "stored": 0, "updated": 0, "rejected": 3, "duplicates": 3}
    assert _count(session, PreferenceEvent) == before


@pytest.mark.usefixtures("people")
def test_a_dry_run_reports_and_writes_nothing(session: Session) -> None:
    report = _import(session, GOOD, dry_run=True)
    assert report.counts()["stored"] == 3 and report.batch_id is None
    assert _count(session, PreferenceEvent) == _count(session, ImportBatch) == 0


@pytest.mark.usefixtures("people")
def test_a_file_with_a_wrong_header_is_refused_whole(session: Session) -> None:
    with pytest.raises(CsvFileError, match="missing column.*received_at"):
        _import(session, "email,channel\nann@example.com,email\n")
    with pytest.raises(CsvFileError, match="one of the columns email, phone, user"):
        _import(session, "channel,received_at\nemail,2026-10-01T09:00:00+00:00\n")
    assert _count(session, PreferenceEvent) == _count(session, ImportBatch) == 0


def test_only_managers_may_import(session: Session) -> None:
    with pytest.raises(AccessDenied):
        import_suppression_list(
            session=session,
            principal=Principal("a", "A", Role.AUDITOR),
            data=GOOD.encode(),
            source="list.csv",
        )


# The pending opt-outs of GOOD (lines 3 and 4), now with their suppression times; Ann's line unchanged.
HONOURED = """email,phone,user,channel,received_at,source,purpose,honoured_at
ann@example.com,,,email,2026-10-01T09:00:00+00:00,unsubscribe_link,,2026-10-01T10:00:00+00:00
,+1 555 0100,,sms,2026-10-02T09:00:00-04:00,reply_stop,marketing,2026-10-02T15:00:00+00:00
,,bob,email,2026-10-03T09:00:00+02:00,,,2026-10-03T07:30:00+00:00
"""


@pytest.mark.usefixtures("people")
def test_a_row_with_honoured_at_completes_the_stored_pending_opt_out(session: Session) -> None:
    _import(session, GOOD)
    checked = _import(session, HONOURED, dry_run=True)
    assert checked.counts() == {"read": 3, "stored": 0, "updated": 2, "rejected": 1, "duplicates": 1}
    assert session.scalar(select(func.count()).where(PreferenceEvent.honoured_at.is_(None))) == 2
    report = _import(session, HONOURED)
    assert report.counts() == checked.counts()
    assert report.read == report.stored + report.updated + report.rejected
    assert _count(session, PreferenceEvent) == 3
    assert session.scalar(select(func.count()).where(PreferenceEvent.honoured_at.is_(None))) == 0
    rollup = session.execute(select(func.sum(OptOutHonourMonthly.opt_outs))).scalar()
    assert rollup == 3
    assert session.scalar(select(func.count()).where(AuditEntry.action == "preference.honour")) == 2
    again = _import(session, HONOURED)
    assert again.counts() == {"read": 3, "stored": 0, "updated": 0, "rejected": 3, "duplicates": 3}


@pytest.mark.usefixtures("people")
def test_another_suppression_time_for_an_opt_out_already_applied_is_rejected_naming_the_field(
    session: Session,
) -> None:
    _import(session, GOOD)
    other = (
        GOOD.splitlines()[0]
        + "\nann@example.com,,,email,2026-10-01T09:00:00+00:00,,,2026-10-01T11:00:00+00:00\n"
    )
    report = _import(session, other)
    assert [(e.line, e.field) for e in report.errors] == [(2, "honoured_at")]
    assert "already marked applied" in report.errors[0].reason
