"""The retention purge on SQLite and PostgreSQL (docs/retention.md): the demo, with records planted past every
period, purged as of a later date loses exactly what the check counted, and then the check passes;
purged accounts leave none of their identifying values; a litigation hold keeps a person and
everything of theirs; a dry run writes nothing; each category leaves one audit entry; daily totals
keep their figures; on PostgreSQL whole months go."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from dashboard.audit.log import verify
from dashboard.checks.base import CheckContext
from dashboard.checks.catalogue import run_checks
from dashboard.fulfilment.retention import purge
from dashboard.services.retention import past_retention
from data_access.db import session_factory
from data_access.erasure import held_lines, identifying_values, values_held_by_others
from data_access.models import (
    AccessLogEntry,
    AuditEntry,
    Consent,
    Contact,
    Message,
    Person,
    PolicyNotification,
    PolicyVersion,
    PreferenceEvent,
    Recipient,
    RejectedRow,
    SharingRecord,
    SharingRecordPerson,
    SubjectRequest,
)
from data_access.models.enums import AccountStatus
from data_access.partitions import partition_name
from data_access.pii_scan import scan_for_values
from tests.retention_case import (
    AS_OF,
    HELD_MONTH,
    OLD_MONTH,
    OPERATOR,
    Planted,
    day_totals,
    load_aged,
    past_counts,
    table_sizes,
)


@pytest.fixture
def aged(engine: Engine) -> tuple[Engine, Planted]:
    return engine, load_aged(engine)


def test_the_purge_removes_exactly_what_the_check_counts_then_the_check_passes(
    aged: tuple[Engine, Planted],
) -> None:
    engine, planted = aged
    counted = past_counts(engine)
    assert set(counted) == {
        "accounts",
        "access_log",
        "usage_events",
        "messages",
        "preference_events",
        "consents",
        "field_changes",
        "subject_requests",
        "rejected_rows",
        "url_pii_findings",
    }
    assert counted["access_log"] == 5 and counted["messages"] == 1  # the held person's line and message stay
    with session_factory(engine)() as session:
        closed = list(
            session.scalars(
                select(Person.id).where(Person.status == AccountStatus.CLOSED, Person.id != planted.held)
            )
        )
        found = {pid: identifying_values(session=session, person_id=pid) for pid in closed}
        totals = day_totals(session)
    assert counted["accounts"] == len(closed) >= 3

    report = purge(engine=engine, principal=OPERATOR, now=AS_OF)

    assert {r.category: r.records for r in report} == counted
    assert report[-1].category == "accounts"  # erased last, after their old rows went
    # a request never matched to the twin, and the held person's line from an address the twin used too
    assert report[-1].kept == {"subject_requests.requester_phone": 1, "access_log.client": 1}
    with session_factory(engine)() as session:
        assert past_retention(session, AS_OF) == []
        [check] = run_checks(session=session, context=CheckContext(AS_OF), keys=["records-past-retention"])
        assert check.passed
        assert day_totals(session) == totals  # the daily totals over everyone keep their figures
        for pid, values in found.items():
            person = session.get(Person, pid)
            assert (
                person is not None and person.status == AccountStatus.ANONYMISED and person.username is None
            )
            shared = values_held_by_others(session, values.values)
            left = scan_for_values(
                session=session,
                values=tuple(v for v in values.values if v.lower() not in shared),
                kept={"subject_requests": SubjectRequest.person_id.is_(None), "access_log": held_lines()},
            )
            left = [h for h in left if not h.kept]
            assert [h for h in left if h.table != "audit_log"] == [], pid
        assert values_held_by_others(session, found[planted.twin].values) == {
            "sam same"
        }  # the living twin's name
        assert session.get(Contact, planted.living_twin) is not None
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.purge")).all()
        assert {e.object_id: e.details["records"] for e in entries} == counted
        assert verify(session=session).ok


def test_a_litigation_hold_keeps_the_person_and_everything_linked(aged: tuple[Engine, Planted]) -> None:
    engine, planted = aged
    purge(engine=engine, principal=OPERATOR, now=AS_OF)
    with session_factory(engine)() as session:
        held = session.get(Person, planted.held)
        assert held is not None and held.status == AccountStatus.CLOSED and held.username
        assert session.get(Contact, planted.held) is not None
        assert session.scalar(select(func.count()).where(AccessLogEntry.id == planted.held_line)) == 1
        shared = session.execute(
            select(AccessLogEntry.client, AccessLogEntry.person_id).where(
                AccessLogEntry.id == planted.held_shared_line
            )
        ).one()
        assert tuple(shared) == ("192.0.2.50", planted.held)  # not truncated by the twin's erasure
        assert session.get(Message, planted.held_message) is not None
        paths = set(
            session.scalars(
                select(AccessLogEntry.path).where(AccessLogEntry.ts < AS_OF - timedelta(days=400))
            )
        )
        assert paths == {"/held"}


def test_a_dry_run_counts_and_writes_nothing(aged: tuple[Engine, Planted]) -> None:
    engine, _ = aged
    before, counted = table_sizes(engine), past_counts(engine)
    report = purge(engine=engine, principal=OPERATOR, now=AS_OF, dry_run=True)
    assert {r.category: r.records for r in report} == counted
    assert table_sizes(engine) == before
    assert not any(r.partitions for r in report)


def test_postgresql_drops_whole_months_but_not_one_holding_a_held_persons_line(
    aged: tuple[Engine, Planted],
) -> None:
    engine, _ = aged
    if engine.dialect.name != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    report = {r.category: r for r in purge(engine=engine, principal=OPERATOR, now=AS_OF)}
    assert partition_name("access_log", OLD_MONTH) in report["access_log"].partitions
    assert partition_name("access_log", HELD_MONTH) not in report["access_log"].partitions
    assert partition_name("usage_events", date(2024, 1, 1)) in report["usage_events"].partitions
    with session_factory(engine)() as session:
        exists = {
            name: session.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is not None
            for name in (partition_name("access_log", OLD_MONTH), partition_name("access_log", HELD_MONTH))
        }
    assert exists == {
        partition_name("access_log", OLD_MONTH): False,
        partition_name("access_log", HELD_MONTH): True,
    }


def test_the_subject_request_is_pseudonymised_not_deleted(aged: tuple[Engine, Planted]) -> None:
    engine, _ = aged
    purge(engine=engine, principal=OPERATOR, now=AS_OF)
    with session_factory(engine)() as session:
        old = session.scalars(
            select(SubjectRequest).where(SubjectRequest.closed_at < datetime(2023, 1, 1, tzinfo=UTC))
        )
        [request] = old.all()
        assert (request.requester_name, request.requester_email, request.details) == ("[erased]", None, None)
        assert session.scalar(select(RejectedRow.raw)) is None


def test_a_consent_a_kept_sharing_record_relied_on_is_kept_with_it(aged: tuple[Engine, Planted]) -> None:
    """Consents go 5 years after withdrawal, the sharing records they justified stay 6 years
    (review): deleting the consent first would turn a lawful sharing into a sharing-consent
    finding."""
    engine, planted = aged
    with session_factory(engine)() as session:
        recipient = session.scalars(select(Recipient.id).order_by(Recipient.id).limit(1)).one()
        session.add(
            Consent(
                person_id=planted.living_twin,
                scope="sharing:survey",
                reference="C-OLD-2",
                given_at=datetime(2020, 1, 1, tzinfo=UTC),
                withdrawn_at=datetime(2021, 3, 1, tzinfo=UTC),
            )
        )
        record = SharingRecord(
            recipient_id=recipient,
            shared_at=datetime(2020, 6, 1, tzinfo=UTC),
            categories=["user.name"],
            purpose="essential.service",
            legal_basis="consent",
            consent_scope="sharing:survey",
            recorded_by="test",
        )
        session.add(record)
        session.flush()
        session.add(
            SharingRecordPerson(
                sharing_record_id=record.id, person_id=planted.living_twin, consent_reference="C-OLD-2"
            )
        )
        session.commit()
    purge(engine=engine, principal=OPERATOR, now=AS_OF)
    with session_factory(engine)() as session:
        assert set(session.scalars(select(Consent.reference).where(Consent.reference.like("C-OLD-%")))) == {
            "C-OLD-2"
        }
        [check] = run_checks(session=session, context=CheckContext(AS_OF), keys=["sharing-consent"])
        assert planted.living_twin not in set(check.evidence["person_id"])


def test_a_notice_past_its_retention_is_not_read_as_a_notice_never_sent(aged: tuple[Engine, Planted]) -> None:
    """Policy notifications go after 6 years: the policy-change-notified check judges the versions
    whose notices are still kept, not an older one whose notices the purge removed."""
    engine, planted = aged
    with session_factory(engine)() as session:
        for version, effective in (("2018.0", date(2018, 1, 1)), ("2019.0", date(2019, 6, 1))):
            session.add(
                PolicyVersion(
                    version=version,
                    effective_date=effective,
                    summary="old",
                    text="...",
                    published_at=datetime.combine(effective, datetime.min.time(), UTC),
                )
            )
        session.flush()
        old = session.scalars(select(PolicyVersion.id).where(PolicyVersion.version == "2019.0")).one()
        person = session.get(Person, planted.living_twin)
        assert person is not None
        person.created_at = datetime(2018, 3, 1, tzinfo=UTC)
        session.add(
            PolicyNotification(
                policy_version_id=old, person_id=person.id, notified_at=datetime(2019, 6, 1, tzinfo=UTC)
            )
        )
        session.commit()
    purge(engine=engine, principal=OPERATOR, now=AS_OF)
    with session_factory(engine)() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(PolicyNotification)
                .where(PolicyNotification.policy_version_id == old)
            )
            == 0
        )  # purged
        [check] = run_checks(session=session, context=CheckContext(AS_OF), keys=["policy-change-notified"])
        assert "2019.0" not in set(check.evidence["version"])


def test_an_opt_out_a_kept_message_was_sent_under_is_kept_with_it(aged: tuple[Engine, Planted]) -> None:
    """Preference events go after 5 years, but the opt-out a message still kept was sent under
    stays: it is what makes that message a violation or not (optouts-honoured)."""
    engine, planted = aged
    with session_factory(engine)() as session:
        opt_out = PreferenceEvent(
            person_id=planted.living_twin,
            channel="email",
            purpose="marketing",
            new_status="opted_out",
            source="support",
            received_at=datetime(2020, 2, 1, tzinfo=UTC),
            recorded_by="test",
        )
        session.add(opt_out)
        session.flush()
        message = Message(
            person_id=planted.living_twin,
            channel="email",
            kind="promotional",
            sent_at=datetime(2025, 1, 5, tzinfo=UTC),
        )
        session.add(message)
        session.commit()
        kept_id = message.opt_out_event_id  # the opt-out in force when sent, as every writer records it
        assert kept_id is not None
    purge(engine=engine, principal=OPERATOR, now=AS_OF)
    with session_factory(engine)() as session:
        assert session.get(PreferenceEvent, kept_id) is not None
        assert (
            session.scalar(select(Message.opt_out_event_id).where(Message.opt_out_event_id == kept_id))
            == kept_id
        )
