"""Erasure on SQLite and PostgreSQL: afterwards a scan of every text column finds none of the person's
identifying values; invoices are kept pseudonymised with a retention hold; a failed scan erases nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session

from dashboard.audit.log import record, verify
from dashboard.auth.service import Principal, SignInRefused, sign_in
from dashboard.demo.generate import load_demo
from dashboard.fulfilment.erasure import ErasureIncomplete, fulfil_deletion
from dashboard.rules.request_workflow import WorkflowError
from dashboard.services.erasure_follow_through import confirm_completion
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import change_status
from data_access.db import make_engine, session_factory
from data_access.erasure import identifying_values, truncate_ip
from data_access.models import (
    AccessLogEntry,
    ActivityDayTotal,
    Contact,
    Invoice,
    Person,
    PolicyVersion,
    RetentionHold,
    SubjectRequest,
    SubjectRequestEvent,
)
from data_access.models.enums import AccountStatus, RequestChannel, RequestStatus, RequestType, Role
from data_access.pii_scan import scan_for_values
from data_access.rollups import refresh_day_totals
from tests.conftest import DEMO_END

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)


@pytest.fixture
def demo(engine: Engine) -> Engine:
    load_demo(engine, users=150, days=60, seed=3, end=DEMO_END)
    return engine


def _busiest_person(engine: Engine) -> int:
    with session_factory(engine)() as session:
        return int(
            session.scalar(
                select(AccessLogEntry.person_id)
                .where(AccessLogEntry.person_id.is_not(None))
                .group_by(AccessLogEntry.person_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        )


def _day_totals(session: Session) -> list[tuple[object, ...]]:
    t = ActivityDayTotal
    return [
        tuple(row)
        for row in session.execute(
            select(t.day, t.active_users, t.requests, t.events, t.sessions, t.duration_ms).order_by(t.day)
        )
    ]


def _deletion_request(engine: Engine, person_id: int) -> tuple[int, int]:
    with session_factory(engine)() as session:
        contact = session.get(Contact, person_id)
        assert contact is not None
        request = create_request(
            session=session,
            principal=MANAGER,
            intake=RequestIntake(
                requester_name=contact.full_name or "x",
                request_type=RequestType.DELETION,
                channel=RequestChannel.WEB_FORM,
                received_at=DEMO_END,
                requester_email=contact.email,
                country="US",
                person_id=person_id,
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
        session.commit()
        return request.id, request.version


def test_after_erasure_no_identifying_value_is_found_anywhere(demo: Engine) -> None:
    person_id = _busiest_person(demo)
    with session_factory(demo)() as session:
        before = identifying_values(session=session, person_id=person_id)
        invoices = session.scalar(select(func.count()).where(Invoice.person_id == person_id))
        assert before.ip_addresses and len(before.values) >= 5
        assert scan_for_values(session=session, values=before.values)  # the scan does find them beforehand
    request_id, version = _deletion_request(demo, person_id)
    with session_factory(demo)() as session:
        result = fulfil_deletion(
            session=session,
            principal=MANAGER,
            request_id=request_id,
            expected_version=version,
            now=datetime(2026, 11, 3, tzinfo=UTC),
        )
        session.commit()
    assert result.scan_hits == [] and result.rows["contacts"] == 1 and result.retained_invoices == invoices
    with session_factory(demo)() as session:
        # independently, after commit: only the requester's contact on this request, kept to confirm
        # the completion
        assert {(h.table, h.column) for h in scan_for_values(session=session, values=before.values)} == {
            ("subject_requests", "requester_name"),
            ("subject_requests", "requester_email"),
        }
        confirm_completion(session=session, principal=MANAGER, request_id=request_id, channel="email")
        session.commit()
        assert (
            scan_for_values(session=session, values=before.values) == []
        )  # and nothing once it is confirmed
        person = session.get(Person, person_id)
        assert person is not None and person.status == AccountStatus.ANONYMISED and person.username is None
        holds = session.scalars(
            select(RetentionHold).where(RetentionHold.subject_request_id == request_id)
        ).all()
        assert len(holds) == invoices and all(h.retain_until.year >= 2032 for h in holds)
        kept = (
            session.scalars(select(Invoice).where(Invoice.pseudonym == holds[0].pseudonym)).all()
            if holds
            else []
        )
        assert all(i.billing_name is None and i.person_id is None for i in kept)
        request = session.get(SubjectRequest, request_id)
        assert request is not None and request.requester_email is None
        kept_totals = _day_totals(session)
        refresh_day_totals(session)  # the person's activity left the day totals as it left activity_daily
        assert kept_totals == _day_totals(session) and kept_totals


def test_a_scan_that_still_finds_a_value_aborts_and_erases_nothing(demo: Engine) -> None:
    person_id = _busiest_person(demo)
    with session_factory(demo)() as session:
        contact = session.get(Contact, person_id)
        assert contact is not None and contact.email
        email = contact.email
        session.add(
            PolicyVersion(
                version="x-test", effective_date=DEMO_END.date(), summary=f"ask {email}", text="..."
            )
        )  # a place no erasure rule covers
        session.commit()
    request_id, version = _deletion_request(demo, person_id)
    with session_factory(demo)() as session:
        with pytest.raises(ErasureIncomplete, match="policy_versions.summary"):
            fulfil_deletion(
                session=session, principal=MANAGER, request_id=request_id, expected_version=version
            )
        session.rollback()
    with session_factory(demo)() as session:
        assert session.get(Contact, person_id) is not None  # nothing was half-erased


def _email(engine: Engine, person_id: int) -> str:
    with session_factory(engine)() as session:
        contact = session.get(Contact, person_id)
        assert contact is not None and contact.email
        return contact.email


def test_a_failed_sign_in_typed_as_the_persons_email_does_not_block_erasure(demo: Engine) -> None:
    """Item 1: anyone could block an erasure for ever by typing the person's email as a username."""
    person_id = _busiest_person(demo)
    email = _email(demo, person_id)
    with session_factory(demo)() as session:
        assert isinstance(
            sign_in(session=session, username=email, password="a guess", now=DEMO_END), SignInRefused
        )
        session.commit()
    request_id, version = _deletion_request(demo, person_id)
    with session_factory(demo)() as session:
        result = fulfil_deletion(
            session=session,
            principal=MANAGER,
            request_id=request_id,
            expected_version=version,
            now=datetime(2026, 11, 3, tzinfo=UTC),
        )
        session.commit()
    assert result.scan_hits == [] and result.retained_in_audit_log == []


def test_typed_values_already_in_the_audit_log_are_kept_reported_and_do_not_block(demo: Engine) -> None:
    """Entries written by failed sign-ins before typed values were digested stay (rewriting them
    would break the chain): the erasure goes ahead, reports them, and the chain still verifies. Any
    other audit entry holding the person's values still stops the erasure."""
    person_id = _busiest_person(demo)
    email = _email(demo, person_id)
    with session_factory(demo)() as session:  # as sign_in recorded a failure until this change
        record(
            session=session,
            actor=email,
            role="anonymous",
            action="auth.sign_in_failed",
            details={"reason": "unknown or disabled account"},
            now=DEMO_END,
        )
        session.commit()
    request_id, version = _deletion_request(demo, person_id)
    with session_factory(demo)() as session:
        record(
            session=session, actor="manager", role="manager", action="person.note", details={"note": email}
        )
        with pytest.raises(ErasureIncomplete, match="audit_log.details"):
            fulfil_deletion(
                session=session, principal=MANAGER, request_id=request_id, expected_version=version
            )
        session.rollback()
    with session_factory(demo)() as session:
        result = fulfil_deletion(
            session=session,
            principal=MANAGER,
            request_id=request_id,
            expected_version=version,
            now=datetime(2026, 11, 3, tzinfo=UTC),
        )
        session.commit()
    assert [(h.table, h.column, h.rows) for h in result.retained_in_audit_log] == [("audit_log", "actor", 1)]
    with session_factory(demo)() as session:
        assert verify(session=session).ok
        note = session.scalar(
            select(SubjectRequestEvent.note).where(
                SubjectRequestEvent.request_id == request_id, SubjectRequestEvent.kind == "fulfilment"
            )
        )
        assert note is not None and "1 failed sign-in entry in the audit log" in note


def test_erasure_needs_a_verified_deletion_request_with_a_confirmed_person(demo: Engine) -> None:
    with session_factory(demo)() as session:
        request = create_request(
            session=session,
            principal=MANAGER,
            intake=RequestIntake(
                requester_name="Ann",
                request_type=RequestType.DELETION,
                channel=RequestChannel.EMAIL,
                received_at=DEMO_END,
                requester_email="ann@example.com",
                country="US",
            ),
        )
        with pytest.raises(WorkflowError) as unverified:
            fulfil_deletion(
                session=session, principal=MANAGER, request_id=request.id, expected_version=request.version
            )
        assert unverified.value.field == "status"
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=RequestStatus.IN_PROGRESS,
        )
        with pytest.raises(WorkflowError) as no_person:
            fulfil_deletion(
                session=session, principal=MANAGER, request_id=request.id, expected_version=request.version
            )
        assert no_person.value.field == "person_id"


def test_ip_addresses_keep_only_their_network() -> None:
    assert truncate_ip("203.0.113.45") == "203.0.113.0"
    assert truncate_ip("2001:db8:85a3:1:2:3:4:5") == "2001:db8:85a3::"
    assert truncate_ip("host.example.net") == "0.0.0.0"


def test_the_scan_counts_whole_values_only(session) -> None:  # type: ignore[no-untyped-def]
    session.add_all(
        [
            AccessLogEntry(ts=DEMO_END, client=ip, line_key=f"k{ip}")
            for ip in ("198.51.100.210", "198.51.100.21", "1198.51.100.21")
        ]
    )
    session.flush()
    hits = scan_for_values(session=session, values=("198.51.100.21",))
    assert [(h.table, h.column, h.rows) for h in hits] == [("access_log", "client", 1)]


PROBE_EMAIL, PROBE_NAME, PROBE_USERNAME = (
    "zq.erase-probe-7f3a@example.org",
    "Quillon Zyxwvut",
    "zyxwvut.probe",
)


def _erase_a_person_with_probe_values(engine: Engine) -> dict[str, int]:
    """A person holding distinctive values, erased through the real service; returns the rows
    changed per table."""
    person_id = _busiest_person(engine)
    with session_factory(engine)() as session:
        contact, person = session.get(Contact, person_id), session.get(Person, person_id)
        assert contact is not None and person is not None
        contact.email, contact.full_name, person.username = PROBE_EMAIL, PROBE_NAME, PROBE_USERNAME
        session.commit()
    if engine.dialect.name == "sqlite":  # the values have been in the file for a while, not only in the WAL
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    request_id, version = _deletion_request(engine, person_id)
    with session_factory(engine)() as session:
        result = fulfil_deletion(
            session=session, principal=MANAGER, request_id=request_id, expected_version=version
        )
        session.commit()
    with session_factory(engine)() as session:  # the contact kept to confirm the completion goes with it
        confirm_completion(session=session, principal=MANAGER, request_id=request_id, channel="email")
        session.commit()
    return result.rows


def test_after_erasure_the_sqlite_files_hold_none_of_the_values(demo: Engine) -> None:
    """Deleted rows stay in free pages and old WAL frames until overwritten: secure_delete zeroes them and the
    checkpoint after an erasure empties the WAL, so the bytes on disk hold none of the person's values."""
    if demo.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's data files cannot be read here; see the vacuum test")
    path = Path(str(demo.url.database))
    wal = path.with_name(path.name + "-wal")
    demo.dispose()
    engine = make_engine(str(demo.url))
    # Debian builds SQLite with secure_delete on by default, python.org's and others do not: start
    # each connection as those builds would, before the application's own set-up.
    event.listen(
        engine, "connect", lambda connection, _: connection.execute("PRAGMA secure_delete=OFF"), insert=True
    )
    try:
        _erase_a_person_with_probe_values(engine)
    finally:
        engine.dispose()
    for file in (path, wal):
        data = file.read_bytes() if file.exists() else b""
        for value in (PROBE_EMAIL, PROBE_NAME, PROBE_USERNAME):
            assert value.encode() not in data, f"{value} is still in {file.name}"
    assert not wal.exists() or wal.stat().st_size == 0


def test_after_erasure_postgresql_vacuums_the_tables_it_touched(demo: Engine) -> None:
    """PostgreSQL keeps an updated or deleted row's old version in the table until VACUUM; the erasure vacuums
    the tables it touched once it has committed. (PostgreSQL's files are not read here: the server
    owns them.)"""
    if demo.dialect.name != "postgresql":
        pytest.skip("SQLite: see the test that reads the database files")
    with demo.connect() as connection:
        started = connection.execute(text("SELECT clock_timestamp()")).scalar_one()
    rows = _erase_a_person_with_probe_values(demo)
    partitioned = {"access_log", "usage_events"}  # VACUUM covers their partitions, named by month
    touched = {"people", "contacts", "subject_requests"} | {
        t for t, n in rows.items() if n and t not in partitioned
    }
    with demo.connect() as connection:
        stats = dict(
            connection.execute(
                text("SELECT relname, last_vacuum FROM pg_stat_user_tables WHERE relname = ANY(:names)"),
                {"names": sorted(touched)},
            ).all()
        )
    assert set(stats) == touched and len(touched) >= 6
    for name, last_vacuum in stats.items():  # n_dead_tup is not asserted: a backend reports it up to 1 s late
        assert last_vacuum is not None and last_vacuum >= started, name


def test_a_person_is_erased_once_a_second_erasure_of_the_request_is_refused(engine: Engine) -> None:
    """Issue 24: the request page offered "Erase" again on an erased request; the service refuses it too."""
    from tests.erasure_case import MANAGER, erase_someone

    case = erase_someone(engine)
    with session_factory(engine)() as session:
        version = session.get(SubjectRequest, case.request_id).version
        with pytest.raises(WorkflowError, match="already fulfilled; complete it instead"):
            fulfil_deletion(
                session=session, principal=MANAGER, request_id=case.request_id, expected_version=version
            )
