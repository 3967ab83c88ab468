"""Log and event ingest beyond tests/ingest/test_ingest.py: repeated lines in one file, the batch record, raw
text bounds, damaged gzip, CSV events re-imported, and monthly partitions on PostgreSQL."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.activity import ingest_access_log, ingest_events
from dashboard.ingest.access_log_parser import SourceReadError
from data_access.models import AccessLogEntry, ActivityDaily, ImportBatch, RejectedRow, UsageEvent
from data_access.models.enums import BatchStatus, Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"
AT = datetime(2026, 10, 5, 9, tzinfo=UTC)


def _line(ts: datetime, path: str = "/app", authuser: str = "-") -> str:
    return (
        f'203.0.113.5 - {authuser} [{ts:%d/%b/%Y:%H:%M:%S +0000}] "GET {path} HTTP/1.1" 200 512 '
        f'"-" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"\n'
    )


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_identical_lines_in_one_file_are_all_stored_and_all_duplicates_the_second_time(
    session: Session, tmp_path: Path
) -> None:
    log = tmp_path / "repeat.log"
    log.write_text(
        _line(AT) * 3 + _line(AT + timedelta(seconds=1))
    )  # the same request three times in one second
    first = ingest_access_log(session=session, principal=MANAGER, path=log)
    session.commit()
    assert (first.read, first.stored, first.rejected, first.duplicates) == (4, 4, 0, 0)
    log.write_text(_line(AT) * 4 + _line(AT + timedelta(seconds=1)))  # a longer copy: one more occurrence
    second = ingest_access_log(session=session, principal=MANAGER, path=log)
    session.commit()
    assert (second.read, second.stored, second.rejected, second.duplicates) == (5, 1, 4, 4)
    assert _count(session, AccessLogEntry) == 5
    assert _count(session, RejectedRow) == 0  # duplicates are counted, not listed one by one


def test_the_batch_records_the_counts_and_every_other_rejection_with_its_line(
    session: Session, tmp_path: Path
) -> None:
    log = tmp_path / "mixed.log"
    long_garbage = "not a log line " + "z" * 2_000
    log.write_text(_line(AT) + long_garbage + "\n" + _line(AT + timedelta(seconds=1)) + "\n")
    report = ingest_access_log(session=session, principal=MANAGER, path=log)
    session.commit()
    assert (report.read, report.stored, report.rejected) == (4, 2, 2)
    batch = session.get(ImportBatch, report.batch_id)
    assert batch is not None and batch.kind == "access_log" and batch.status == BatchStatus.COMPLETED
    assert (batch.rows_read, batch.rows_stored, batch.rows_rejected, batch.rows_duplicate) == (4, 2, 2, 0)
    assert batch.created_by == "manager" and batch.source_name == str(log)
    rows = {
        r.line_no: r for r in session.scalars(select(RejectedRow).where(RejectedRow.batch_id == batch.id))
    }
    assert set(rows) == {2, 4}
    assert rows[2].raw is not None and len(rows[2].raw) == 500 and rows[2].raw.startswith("not a log line")
    assert rows[4].reason == "empty line"


def test_the_corpus_rejections_name_their_line_and_field(session: Session) -> None:
    report = ingest_access_log(session=session, principal=MANAGER, path=CORPUS)
    session.commit()
    raw_lines = CORPUS.read_bytes().splitlines()
    rows = session.scalars(select(RejectedRow).order_by(RejectedRow.line_no)).all()
    assert len(rows) == report.rejected and report.duplicates == 0
    for row in rows:
        assert 1 <= row.line_no <= len(raw_lines) and row.reason
    by_line = {r.line_no: r for r in rows}
    assert by_line[raw_lines.index(b"this is not an access log line") + 1].field == "format"
    assert by_line[raw_lines.index(b"") + 1].reason == "empty line"


def test_a_truncated_gzip_is_a_read_error_naming_the_file(session: Session, tmp_path: Path) -> None:
    whole = gzip.compress("".join(_line(AT + timedelta(seconds=s)) for s in range(2_000)).encode())
    damaged = tmp_path / "cut.log.gz"
    damaged.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceReadError, match="cut.log.gz"):
        ingest_access_log(session=session, principal=MANAGER, path=damaged)
    session.rollback()
    assert _count(session, AccessLogEntry) == 0 and _count(session, ImportBatch) == 0
    with pytest.raises(SourceReadError, match="absent.log"):
        ingest_access_log(session=session, principal=MANAGER, path=tmp_path / "absent.log")


def test_csv_events_re_imported_store_nothing_and_feed_the_rollups(session: Session, tmp_path: Path) -> None:
    person = make_person(session)
    session.commit()
    events = tmp_path / "events.csv.gz"
    with gzip.open(events, "wt", newline="") as out:
        out.write("ts,user_ref,session_id,feature,action,duration_ms\n")
        out.write(f"2026-10-05T09:00:00+02:00,{person.external_ref},s1,invoices,view,1000\n")
        out.write(f"2026-10-05T09:05:00+02:00,{person.external_ref},s1,invoices,export,\n")
        out.write("2026-10-05T09:06:00Z,,s9,reports,view,-5\n")  # negative duration: rejected
        out.write("2026-10-05T09:07:00Z,,s9,reports,view,\n")  # anonymous: stored, not linked
    first = ingest_events(session=session, principal=MANAGER, path=events)
    session.commit()
    assert (first.read, first.stored, first.rejected, first.duplicates) == (
        4,
        3,
        1,
        0,
    )  # the header is not a record
    second = ingest_events(session=session, principal=MANAGER, path=events)
    session.commit()
    assert (second.read, second.stored, second.rejected, second.duplicates) == (4, 0, 4, 3)
    assert _count(session, UsageEvent) == 3
    activity = session.execute(
        select(
            ActivityDaily.day,
            ActivityDaily.person_id,
            ActivityDaily.events,
            ActivityDaily.sessions,
            ActivityDaily.duration_ms,
        )
    ).all()
    assert activity == [(date(2026, 10, 5), person.id, 2, 1, 1000)]


def test_postgresql_gets_a_partition_for_each_month_written(session: Session, tmp_path: Path) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("monthly partitions exist on PostgreSQL only")
    log = tmp_path / "months.log"
    log.write_text(_line(datetime(2031, 1, 31, 23, 59, tzinfo=UTC)) + _line(datetime(2031, 2, 1, tzinfo=UTC)))
    report = ingest_access_log(session=session, principal=MANAGER, path=log)
    session.commit()
    assert report.stored == 2
    for month in ("2031_01", "2031_02"):
        assert session.scalar(text(f"SELECT count(*) FROM access_log_p{month}")) == 1  # noqa: S608
    assert session.scalar(text("SELECT count(*) FROM access_log_default")) == 0
