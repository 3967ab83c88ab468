"""Request KPIs on SQLite and PostgreSQL against hand-computed figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from dashboard.services.request_metrics import ccpa_yearly_metrics, closing_by
from data_access.queries.requests import monthly_volumes, open_counts
from tests.factories import make_request

RECEIVED = datetime(2026, 3, 5, 10, tzinfo=UTC)


def _closed(session: Session, days: float, status: str = "completed", **extra: object) -> None:
    make_request(session, status=status, closed_at=RECEIVED + timedelta(days=days), **extra)


def test_open_overdue_and_due_soon_counts(session: Session) -> None:
    today = date(2026, 4, 1)
    make_request(session, status="in_progress", due_date=date(2026, 3, 31))  # overdue
    make_request(session, status="extended", due_date=date(2026, 3, 31), extended_due_date=date(2026, 6, 5))
    make_request(session, status="received", due_date=date(2026, 4, 8))  # due within 7 days
    make_request(session, status="completed", due_date=date(2026, 3, 1))  # closed: not counted
    assert open_counts(session=session, today=today, due_soon_days=7).__dict__ == {
        "open": 3,
        "overdue": 1,
        "due_soon": 1,
    }


def test_median_and_90th_percentile_days_to_close_by_type(session: Session) -> None:
    for days in (1, 2, 3, 4, 10):
        _closed(session, days, request_type="access", due_date=date(2026, 4, 6))
    _closed(session, 40, request_type="deletion", due_date=date(2026, 4, 6))  # closed after its due date
    table = closing_by(
        session=session, since=RECEIVED, until=RECEIVED + timedelta(days=90), by=("request_type",)
    )
    rows = {r["request_type"]: r for r in table.to_dict(orient="records")}
    assert (rows["access"]["answered"], rows["access"]["median_days"], rows["access"]["p90_days"]) == (
        5,
        3.0,
        7.6,
    )
    assert rows["access"]["on_time_share"] == 1.0 and rows["deletion"]["on_time_share"] == 0.0


def test_ccpa_yearly_metrics_count_received_complied_denied_and_median_days(session: Session) -> None:
    for days, status, kind in (
        (10, "completed", "access"),
        (20, "completed", "portability"),
        (30, "rejected", "access"),
        (5, "closed_unverified", "deletion"),
    ):
        _closed(session, days, status, request_type=kind, regime="ccpa")
    make_request(session, request_type="deletion", regime="ccpa", status="in_progress")
    make_request(session, request_type="access", regime="gdpr", status="completed")  # not CCPA
    rows = {
        r["category"]: r for r in ccpa_yearly_metrics(session=session, year=2026).to_dict(orient="records")
    }
    assert rows["to know"] == {
        "category": "to know",
        "received": 3,
        "complied_in_whole_or_part": 2,
        "denied": 1,
        "open": 0,
        "median_days_to_respond": 20.0,
    }
    assert (rows["to delete"]["received"], rows["to delete"]["denied"], rows["to delete"]["open"]) == (
        2,
        1,
        1,
    )
    assert rows["to opt out of sale/sharing"]["received"] == 0


def test_monthly_volumes(session: Session) -> None:
    make_request(session, received_at=datetime(2026, 3, 31, 23, tzinfo=UTC))
    make_request(session, received_at=datetime(2026, 4, 1, 1, tzinfo=UTC))
    make_request(session, received_at=datetime(2026, 4, 2, 1, tzinfo=UTC), request_type="deletion")
    table = monthly_volumes(
        session=session, since=datetime(2026, 1, 1, tzinfo=UTC), until=datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert table.to_dict(orient="records") == [
        {"month": "2026-03", "request_type": "access", "requests": 1},
        {"month": "2026-04", "request_type": "access", "requests": 1},
        {"month": "2026-04", "request_type": "deletion", "requests": 1},
    ]
