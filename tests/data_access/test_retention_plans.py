"""The retention count and purge reach consents, policy notifications and field history through an
index on the date their period runs from (migration 0024): at a million people each was read whole
(docs/retention.md).

The tables hold rows as real ones do (most consents never withdrawn, few rows past their retention)
and are analysed, so that the planner's choice is the one it makes on real data, not a guess about
empty tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from data_access import retention
from data_access.models import Consent, FieldChange, Person, PolicyNotification, PolicyVersion
from tests.data_access.plans import full_scans, index_reads, statements_run

INDEXED = {
    "consents": "ix_consents_withdrawn_at",
    "policy_notifications": "ix_policy_notifications_notified_at",
    "field_changes": "ix_field_changes_changed_at",
}
CUTOFF = datetime(2021, 1, 1, tzinfo=UTC)
ROWS = 2_000


@pytest.fixture
def realistic(session: Session) -> Session:
    """ROWS rows per table, one in fifty before the cutoff, most consents never withdrawn; then
    ANALYZE."""

    def when(n: int) -> datetime:
        return CUTOFF + timedelta(days=(-1 if n % 50 == 0 else 1) * (1 + n % 300))

    people = ROWS // 4
    session.execute(
        insert(Person),
        [
            {
                "id": n,
                "external_ref": f"R{n}",
                "country": "GB",
                "created_at": CUTOFF,
                "updated_at": CUTOFF,
            }
            for n in range(1, people + 1)
        ],
    )
    session.execute(
        insert(PolicyVersion),
        [
            {
                "id": v,
                "version": f"v{v}",
                "effective_date": date(2020, 1, v),
                "summary": "-",
                "text": "-",
            }
            for v in range(1, 5)
        ],
    )
    session.execute(
        insert(Consent),
        [
            {
                "person_id": 1 + n % people,
                "scope": "sharing:analytics",
                "reference": f"C{n}",
                "given_at": CUTOFF,
                "withdrawn_at": when(n) if n % 10 == 0 else None,
            }
            for n in range(ROWS)
        ],
    )
    session.execute(
        insert(PolicyNotification),
        [
            {
                "policy_version_id": 1 + n // people,
                "person_id": 1 + n % people,
                "notified_at": when(n),
            }
            for n in range(ROWS)
        ],
    )
    session.execute(
        insert(FieldChange),
        [
            {
                "person_id": 1 + n % people,
                "table_name": "contacts",
                "field": "email",
                "changed_at": when(n),
                "changed_by": "test",
            }
            for n in range(ROWS)
        ],
    )
    for table in (*INDEXED, "people"):
        session.execute(text(f"ANALYZE {table}"))
    return session


@pytest.mark.parametrize("table", sorted(INDEXED))
def test_counting_past_retention_reads_the_start_index(realistic: Session, table: str) -> None:
    session = realistic
    with statements_run(session) as captured:
        retention.count_past_retention(session, {table: CUTOFF}, today=date(2026, 12, 6))
    assert len(captured) == 1
    assert full_scans(session, captured[0], [table, "people"]) == []  # nor the held people by reading all
    assert INDEXED[table] in [name for name, _ in index_reads(session, captured[0], table)]


@pytest.mark.parametrize("table", sorted(INDEXED))
def test_a_purge_batch_picks_its_rows_through_the_start_index(realistic: Session, table: str) -> None:
    session = realistic
    with statements_run(session) as captured:
        retention.purge_batch(session, table, {table: CUTOFF}, today=date(2026, 12, 6), limit=5_000)
    assert len(captured) == 1
    assert INDEXED[table] in [name for name, _ in index_reads(session, captured[0], table)]
