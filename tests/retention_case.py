"""An aged database for the retention tests: the demo with records planted past every retention
period, a closed account under litigation hold, and a closed account whose name a living customer
shares (docs/retention.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.demo.generate import load_demo
from dashboard.services.retention import past_retention
from data_access.db import session_factory
from data_access.models import (
    AccessLogEntry,
    ActivityDayTotal,
    Base,
    Consent,
    FieldChange,
    ImportBatch,
    Message,
    PreferenceEvent,
    RejectedRow,
    UrlPiiFinding,
    UsageEvent,
)
from data_access.models.enums import AccountStatus, Role
from data_access.partitions import ensure_month_partitions
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
    held_shared_line: int  # from an address the erased twin used too
    held_message: int


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def plant(session: Session) -> Planted:
    ensure_month_partitions(session, [OLD_MONTH, HELD_MONTH, date(2024, 1, 1)])
    closed = _at(date(2026, 9, 1))
    held = make_person(session, name="Hilda Holdfast", email="hilda@example.org")
    held.status, held.closed_at, held.litigation_hold = AccountStatus.CLOSED, closed, True
    twin = make_person(session, name="Sam Same", email="sam.closed@example.org", phone="+44 20 7946 0001")
    twin.status, twin.closed_at = AccountStatus.CLOSED, closed
    living = make_person(session, name="Sam Same", email="sam.living@example.org")
    lines = [
        AccessLogEntry(
            ts=_at(OLD_MONTH.replace(day=d)),
            client=f"203.0.113.{d}",
            path="/old",
            line_key=f"o{d}",
            person_id=living.id,
        )
        for d in (3, 4, 5)
    ]
    lines += [
        AccessLogEntry(
            ts=_at(HELD_MONTH.replace(day=2)),
            client="198.51.100.7",
            path="/held",
            line_key="h1",
            person_id=held.id,
        ),
        AccessLogEntry(ts=_at(HELD_MONTH.replace(day=3)), client="198.51.100.8", path="/gone", line_key="h2"),
        AccessLogEntry(
            ts=_at(date(2025, 9, 1)), client="192.0.2.9", path="/twin", line_key="t1", person_id=twin.id
        ),
        # an address the twin and the held person share, in lines young enough to stay
        AccessLogEntry(
            ts=_at(date(2026, 10, 1)), client="192.0.2.50", path="/shared", line_key="s1", person_id=twin.id
        ),
        AccessLogEntry(
            ts=_at(date(2026, 10, 2)), client="192.0.2.50", path="/shared", line_key="s2", person_id=held.id
        ),
    ]
    session.add_all(lines)
    session.add(
        UsageEvent(ts=_at(date(2024, 1, 10)), person_id=living.id, feature="f", action="a", event_key="u1")
    )
    messages = [
        Message(person_id=pid, channel="email", kind="promotional", sent_at=_at(date(2022, 5, 1)))
        for pid in (held.id, living.id)
    ]
    session.add_all(messages)
    session.add(
        PreferenceEvent(
            person_id=living.id,
            channel="email",
            purpose="marketing",
            new_status="opted_out",
            source="support",
            received_at=_at(date(2020, 6, 1)),
            recorded_by="test",
        )
    )
    session.add(
        Consent(
            person_id=living.id,
            scope="sharing:analytics",
            reference="C-OLD-1",
            given_at=_at(date(2019, 1, 1)),
            withdrawn_at=_at(date(2020, 1, 1)),
        )
    )
    session.add(
        FieldChange(
            person_id=living.id,
            table_name="contacts",
            field="email",
            old_value="a@example.org",
            new_value="b@example.org",
            changed_at=_at(date(2022, 1, 1)),
            changed_by="test",
        )
    )
    make_request(
        session,
        requester_name="Olga Oldrequest",
        requester_email="olga@example.org",
        received_at=_at(date(2022, 1, 3)),
        status="completed",
        closed_at=_at(date(2022, 2, 1)),
    )
    make_request(
        session,
        requester_name="S. Same",
        requester_phone="+44 20 7946 0001",  # never matched to the twin
        received_at=_at(date(2026, 10, 1)),
        status="completed",
        closed_at=_at(date(2026, 10, 20)),
    )
    batch = ImportBatch(
        kind="people", source_name="old.csv", created_by="test", started_at=_at(date(2026, 6, 1))
    )
    session.add(batch)
    session.flush()
    session.add(RejectedRow(batch_id=batch.id, line_no=2, reason="bad email", raw="Rex,rex@@example.org"))
    session.add(
        UrlPiiFinding(line_no=1, ts=_at(date(2025, 6, 1)), kind="email", param="e", masked_sample="r***")
    )
    session.flush()
    return Planted(held.id, twin.id, living.id, lines[3].id, lines[-1].id, messages[0].id)


def load_aged(engine: Engine) -> Planted:
    load_demo(engine, users=150, days=60, seed=3, end=DEMO_END)
    with session_factory(engine)() as session:
        planted = plant(session)
        session.commit()
    return planted


def past_counts(engine: Engine) -> dict[str, int]:
    with session_factory(engine)() as session:
        return {category.name: found.records for category, found in past_retention(session, AS_OF)}


def table_sizes(engine: Engine) -> dict[str, int]:
    with session_factory(engine)() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def day_totals(session: Session) -> list[tuple[object, ...]]:
    t = ActivityDayTotal
    return [
        tuple(row)
        for row in session.execute(
            select(t.day, t.active_users, t.requests, t.events, t.sessions, t.duration_ms).order_by(t.day)
        )
    ]
