"""The Overview's twelve months and its action list, on both engines: figures equal what was stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from dashboard.checks.base import CheckResult
from dashboard.checks.overview_trends import (
    change_since,
    keep_month_end_verdicts,
    keep_verdicts,
    last_complete_month,
    monthly_trends,
)
from data_access.models import ImportBatch, PreferenceEvent
from data_access.queries.check_history import monthly_checks_passing
from data_access.queries.overview import attention_counts, monthly_counts
from tests.factories import make_person, make_request

NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)


def _result(key: str, failing: int) -> CheckResult:
    import pandas as pd

    return CheckResult(key, key.capitalize(), "clause", "test", pd.DataFrame({"row": range(failing)}))


def test_requests_are_counted_in_the_month_they_were_received(session: Session) -> None:
    for day in (date(2026, 10, 3), date(2026, 10, 30), date(2026, 11, 2)):
        make_request(
            session, received_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=23)
        )
    make_request(session, received_at=datetime(2026, 9, 30, 23, 59, tzinfo=UTC))  # before the window
    counts = monthly_counts(session=session, since=datetime(2026, 10, 1, tzinfo=UTC), until=NOW)
    assert dict(zip(counts["month"], counts["requests_received"], strict=True)) == {
        "2026-10": 2,
        "2026-11": 1,
    }


def test_the_checks_passing_of_a_month_are_those_of_its_last_kept_day(session: Session) -> None:
    keep_verdicts(session=session, results=[_result("a", 0), _result("b", 3)], as_of=date(2026, 10, 5))
    keep_verdicts(session=session, results=[_result("a", 0), _result("b", 0)], as_of=date(2026, 10, 31))
    keep_verdicts(session=session, results=[_result("a", 2), _result("b", 0)], as_of=date(2026, 11, 30))
    keep_verdicts(
        session=session, results=[_result("a", 0), _result("b", 0)], as_of=date(2026, 11, 30)
    )  # re-run
    frame = monthly_checks_passing(session=session, since=date(2026, 10, 1), until=date(2026, 12, 1))
    assert list(zip(frame["month"], frame["checks"], frame["passing"], strict=True)) == [
        ("2026-10", 2, 2),
        ("2026-11", 2, 2),
    ]


def test_trends_give_each_month_and_its_change_from_the_month_before(session: Session) -> None:
    make_request(session, received_at=datetime(2026, 10, 3, tzinfo=UTC))
    for _ in range(3):
        make_request(
            session,
            received_at=datetime(2026, 11, 3, tzinfo=UTC),
            status="completed",
            due_date=date(2026, 12, 3),
            closed_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
    keep_verdicts(session=session, results=[_result("a", 0), _result("b", 1)], as_of=date(2026, 10, 31))
    keep_verdicts(session=session, results=[_result("a", 0), _result("b", 0)], as_of=date(2026, 11, 30))
    trends = monthly_trends(session=session, first=date(2026, 1, 1), last=date(2026, 12, 1), now=NOW)
    assert len(trends) == 12 and trends["month"].iloc[-1] == "2026-12"
    month = last_complete_month(NOW.date())
    assert month == "2026-11"
    assert change_since(trends, "requests_received", month) == (3.0, 2.0)
    assert change_since(trends, "requests_answered", month) == (3.0, 3.0)
    assert change_since(trends, "answered_on_time", month)[0] == 1.0
    assert change_since(trends, "checks_passing", month) == (2.0, 1.0)


def test_month_end_verdicts_are_kept_for_each_whole_month(session: Session) -> None:
    months = keep_month_end_verdicts(session=session, first=date(2026, 8, 15), end=NOW, tz="UTC")
    assert months == 4  # the ends of August, September, October and November
    frame = monthly_checks_passing(session=session, since=date(2026, 8, 1), until=date(2026, 12, 1))
    assert list(frame["month"]) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert (frame["checks"] > 0).all()


def test_the_action_list_counts_opt_outs_near_or_past_their_limit_and_imports_with_rejections(
    session: Session,
) -> None:
    person = make_person(session)
    for hours_left, honoured in ((-5, None), (30, None), (200, None), (-5, NOW)):
        session.add(
            PreferenceEvent(
                person_id=person.id,
                channel="email",
                purpose="marketing",
                new_status="opted_out",
                source="support",
                rule="can-spam",
                recorded_by="t",
                received_at=NOW - timedelta(days=10),
                honour_by=NOW.date(),
                honour_deadline_at=NOW + timedelta(hours=hours_left),
                honoured_at=honoured,
            )
        )
    session.add_all(
        [
            ImportBatch(
                kind="people",
                source_name="a.csv",
                rows_rejected=2,
                created_by="t",
                started_at=NOW - timedelta(days=2),
            ),
            ImportBatch(
                kind="people",
                source_name="b.csv",
                rows_rejected=0,
                created_by="t",
                started_at=NOW - timedelta(days=2),
            ),
            ImportBatch(
                kind="people",
                source_name="c.csv",
                rows_rejected=5,
                created_by="t",
                started_at=NOW - timedelta(days=20),
            ),
        ]
    )
    session.flush()
    counts = attention_counts(session=session, now=NOW, soon=timedelta(days=3), recent=timedelta(days=7))
    assert (counts.opt_outs_overdue, counts.opt_outs_due_soon, counts.imports_with_rejections) == (1, 1, 1)
