"""The retention purge on SQLite and PostgreSQL (docs/retention.md): the demo, with records planted past every
period, purged as of a later date loses exactly what the check counted, and then the check passes; purged accounts
leave none of their identifying values; a litigation hold keeps a person and everything of theirs; a dry run writes
nothing; each category leaves one audit entry; daily totals keep their figures; on PostgreSQL whole months go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from dashboard.audit.log import verify
from dashboard.auth.service import Principal
from dashboard.checks.base import CheckContext
from dashboard.checks.catalogue import run_checks
from dashboard.demo.generate import load_demo
from dashboard.services.retention import past_retention, purge
from data_access.db import session_factory
from data_access.erasure import identifying_values, values_held_by_others
from data_access.models import (
    AccessLogEntry,
    ActivityDayTotal,
    AuditEntry,
    Base,
    Consent,
    Contact,
    FieldChange,
    ImportBatch,
    Message,
    Person,
    PreferenceEvent,
    RejectedRow,
    SubjectRequest,
    UrlPiiFinding,
    UsageEvent,
)
from data_access.models.enums import AccountStatus, Role
from data_access.partitions import ensure_month_partitions, partition_name
from data_access.pii_scan import scan_for_values
from tests.conftest import DEMO_END
from tests.factories import make_person, make_request

AS_OF = DEMO_END + timedelta(days=40)  # every demo account closed by DEMO_END is past its 30 days
OPERATOR = Principal("cli:test", "command line (test)", Role.MANAGER)
OLD_MONTH = date(2025, 3, 1)  # wholly before the access log's 13 months as of AS_OF: its partition goes whole
HELD_MONTH = date(2025, 4, 1)  # also before, but a held person's line is in it: kept, its other lines deleted


@dataclass(frozen=True)
class Planted:
    held: int  # a closed account past its 30 days, under litigation hold
    twin: int  # a closed account past its 30 days whose name and address a living customer shares
    living_twin: int
    held_line: int
    held_message: int


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _plant(session: Session) -> Planted:
    ensure_month_partitions(session, [OLD_MONTH, HELD_MONTH, date(2024, 1, 1)])
    closed = _at(date(2026, 9, 1))
    held = make_person(session, name="Hilda Holdfast", email="hilda@example.org")
    held.status, held.closed_at, held.litigation_hold = AccountStatus.CLOSED, closed, True
    twin = make_person(session, name="Sam Same", email="sam.closed@example.org", phone="+44 20 7946 0001")
    twin.status, twin.closed_at = AccountStatus.CLOSED, closed
    living = make_person(session, name="Sam Same", email="sam.living@example.org")
    lines = [AccessLogEntry(ts=_at(OLD_MONTH.replace(day=d)), client=f"203.0.113.{d}", path="/old", line_key=f"o{d}",
                            person_id=living.id) for d in (3, 4, 5)]
    lines += [AccessLogEntry(ts=_at(HELD_MONTH.replace(day=2)), client="198.51.100.7", path="/held", line_key="h1",
                             person_id=held.id),
              AccessLogEntry(ts=_at(HELD_MONTH.replace(day=3)), client="198.51.100.8", path="/gone", line_key="h2"),
              AccessLogEntry(ts=_at(date(2025, 9, 1)), client="192.0.2.9", path="/twin", line_key="t1",
                             person_id=twin.id)]
    session.add_all(lines)
    session.add(UsageEvent(ts=_at(date(2024, 1, 10)), person_id=living.id, feature="f", action="a", event_key="u1"))
    messages = [Message(person_id=pid, channel="email", kind="promotional", sent_at=_at(date(2022, 5, 1)))
                for pid in (held.id, living.id)]
    session.add_all(messages)
    session.add(PreferenceEvent(person_id=living.id, channel="email", purpose="marketing", new_status="opted_out",
                                source="support", received_at=_at(date(2020, 6, 1)), recorded_by="test"))
    session.add(Consent(person_id=living.id, scope="sharing:analytics", reference="C-OLD-1",
                        given_at=_at(date(2019, 1, 1)), withdrawn_at=_at(date(2020, 1, 1))))
    session.add(FieldChange(person_id=living.id, table_name="contacts", field="email", old_value="a@example.org",
                            new_value="b@example.org", changed_at=_at(date(2022, 1, 1)), changed_by="test"))
    make_request(session, requester_name="Olga Oldrequest", requester_email="olga@example.org",
                 received_at=_at(date(2022, 1, 3)), status="completed", closed_at=_at(date(2022, 2, 1)))
    batch = ImportBatch(kind="people", source_name="old.csv", created_by="test", started_at=_at(date(2026, 6, 1)))
    session.add(batch)
    session.flush()
    session.add(RejectedRow(batch_id=batch.id, line_no=2, reason="bad email", raw="Rex,rex@@example.org"))
    session.add(UrlPiiFinding(line_no=1, ts=_at(date(2025, 6, 1)), kind="email", param="e", masked_sample="r***"))
    session.flush()
    return Planted(held.id, twin.id, living.id, lines[3].id, messages[0].id)


@pytest.fixture
def aged(engine: Engine) -> tuple[Engine, Planted]:
    load_demo(engine, users=150, days=60, seed=3, end=DEMO_END)
    with session_factory(engine)() as session:
        planted = _plant(session)
        session.commit()
    return engine, planted


def _counted(engine: Engine) -> dict[str, int]:
    with session_factory(engine)() as session:
        return {category.name: found.records for category, found in past_retention(session, AS_OF)}


def _table_sizes(engine: Engine) -> dict[str, int]:
    with session_factory(engine)() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def test_the_purge_removes_exactly_what_the_check_counts_then_the_check_passes(aged: tuple[Engine, Planted]) -> None:
    engine, planted = aged
    counted = _counted(engine)
    assert set(counted) == {"accounts", "access_log", "usage_events", "messages", "preference_events", "consents",
                            "field_changes", "subject_requests", "rejected_rows", "url_pii_findings"}
    assert counted["access_log"] == 5 and counted["messages"] == 1  # the held person's line and message stay
    with session_factory(engine)() as session:
        closed = list(session.scalars(select(Person.id).where(Person.status == AccountStatus.CLOSED,
                                                              Person.id != planted.held)))
        found = {pid: identifying_values(session=session, person_id=pid) for pid in closed}
        totals = _day_totals(session)
    assert counted["accounts"] == len(closed) >= 3

    report = purge(engine=engine, principal=OPERATOR, now=AS_OF)

    assert {r.category: r.records for r in report} == counted
    assert [r.category for r in report][-1] == "accounts"  # erased last, after their old rows went
    with session_factory(engine)() as session:
        assert past_retention(session, AS_OF) == []
        [check] = run_checks(session=session, context=CheckContext(AS_OF), keys=["records-past-retention"])
        assert check.passed
        assert _day_totals(session) == totals  # the daily totals over everyone keep their figures
        for pid, values in found.items():
            person = session.get(Person, pid)
            assert person is not None and person.status == AccountStatus.ANONYMISED and person.username is None
            shared = values_held_by_others(session, values.values)
            left = scan_for_values(session=session, values=tuple(v for v in values.values if v.lower() not in shared))
            assert [h for h in left if h.table != "audit_log"] == [], pid
        assert values_held_by_others(session, found[planted.twin].values) == {"sam same"}  # the living twin's name
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
        assert session.get(Message, planted.held_message) is not None
        paths = set(session.scalars(select(AccessLogEntry.path).where(AccessLogEntry.ts < AS_OF - timedelta(days=400))))
        assert paths == {"/held"}


def test_a_dry_run_counts_and_writes_nothing(aged: tuple[Engine, Planted]) -> None:
    engine, _ = aged
    before, counted = _table_sizes(engine), _counted(engine)
    report = purge(engine=engine, principal=OPERATOR, now=AS_OF, dry_run=True)
    assert {r.category: r.records for r in report} == counted
    assert _table_sizes(engine) == before
    assert not any(r.partitions for r in report)


def test_postgresql_drops_whole_months_but_not_one_holding_a_held_persons_line(aged: tuple[Engine, Planted]) -> None:
    engine, _ = aged
    if engine.dialect.name != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    report = {r.category: r for r in purge(engine=engine, principal=OPERATOR, now=AS_OF)}
    assert partition_name("access_log", OLD_MONTH) in report["access_log"].partitions
    assert partition_name("access_log", HELD_MONTH) not in report["access_log"].partitions
    assert partition_name("usage_events", date(2024, 1, 1)) in report["usage_events"].partitions
    with session_factory(engine)() as session:
        exists = {name: session.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is not None
                  for name in (partition_name("access_log", OLD_MONTH), partition_name("access_log", HELD_MONTH))}
    assert exists == {partition_name("access_log", OLD_MONTH): False, partition_name("access_log", HELD_MONTH): True}


def test_the_subject_request_is_pseudonymised_not_deleted(aged: tuple[Engine, Planted]) -> None:
    engine, _ = aged
    purge(engine=engine, principal=OPERATOR, now=AS_OF)
    with session_factory(engine)() as session:
        old = session.scalars(select(SubjectRequest).where(SubjectRequest.closed_at < datetime(2023, 1, 1, tzinfo=UTC)))
        [request] = old.all()
        assert (request.requester_name, request.requester_email, request.details) == ("[erased]", None, None)
        assert session.scalar(select(RejectedRow.raw)) is None


def _day_totals(session: Session) -> list[tuple[object, ...]]:
    t = ActivityDayTotal
    return [tuple(row) for row in session.execute(select(t.day, t.active_users, t.requests, t.events, t.sessions,
                                                         t.duration_ms).order_by(t.day))]
