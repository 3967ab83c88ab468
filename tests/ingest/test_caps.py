"""Memory does not grow with the input (issue 23 item 2): an import keeps the first ERRORS_KEPT
rejections with their reasons and counts the rest exactly (read = stored + rejected), a line longer
than 64 KiB is rejected by number without being held whole, and the decompressed size of a file is
capped by a setting. SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.activity import ingest_access_log, ingest_events
from dashboard.imports.kinds import KINDS
from dashboard.imports.report import ERRORS_KEPT, FileRefused
from dashboard.imports.runner import import_file
from dashboard.ingest.bounded import MAX_LINE_BYTES, InputTooLarge, bounded_lines
from dashboard.settings import get_settings
from data_access.models import ImportBatch, RejectedRow
from data_access.models.enums import Role

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
LOG_LINE = b'203.0.113.5 - - [05/Oct/2026:09:00:%02d +0000] "GET /app HTTP/1.1" 200 512 "-" "curl/8.5.0"\n'


def _batch(session: Session, batch_id: int | None) -> tuple[int, int, int, int]:
    batch = session.get(ImportBatch, batch_id)
    assert batch is not None
    kept = session.scalar(
        select(func.count()).select_from(RejectedRow).where(RejectedRow.batch_id == batch_id)
    )
    return batch.rows_read, batch.rows_stored, batch.rows_rejected, int(kept or 0)


def test_an_ingest_keeps_the_first_rejections_and_counts_every_one(session: Session, tmp_path: Path) -> None:
    log = tmp_path / "bad.log.gz"
    log.write_bytes(
        gzip.compress(b"".join(LOG_LINE % s for s in range(3)) + b"garbage\n" * (ERRORS_KEPT + 500))
    )
    report = ingest_access_log(session=session, principal=MANAGER, path=log, workers=1)
    assert report.counts() == {
        "read": ERRORS_KEPT + 503,
        "stored": 3,
        "rejected": ERRORS_KEPT + 500,
        "duplicates": 0,
    }
    assert len(report.errors) == ERRORS_KEPT
    assert _batch(session, report.batch_id) == (ERRORS_KEPT + 503, 3, ERRORS_KEPT + 500, ERRORS_KEPT)
    first = session.scalar(
        select(func.min(RejectedRow.line_no)).where(RejectedRow.batch_id == report.batch_id)
    )
    assert first == 4  # the first ones, in file order


def test_an_events_line_longer_than_64_kib_is_rejected_by_number(session: Session, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    good = b'{"ts": "2026-10-05T09:00:00+00:00", "feature": "invoices", "action": "view"}\n'
    events.write_bytes(good + b'{"feature": "' + b"x" * 200_000 + b'"}\n' + good.replace(b"view", b"send"))
    report = ingest_events(session=session, principal=MANAGER, path=events)
    assert (report.read, report.stored, report.rejected) == (3, 2, 1)
    assert report.errors[0].line == 2 and report.errors[0].reason == "line 2 longer than 65,536 bytes"


def test_an_import_keeps_the_first_rejections_and_counts_every_one(session: Session) -> None:
    rows = "".join(f"U{i},,,,,ZZZ,2026-01-01T00:00:00+00:00\n" for i in range(ERRORS_KEPT + 200))
    data = (
        "user_id,username,full_name,email,phone,country,created_at\nU-ok,,,,,GB,2026-01-01T00:00:00+00:00\n"
        + rows
    ).encode()
    report = import_file(session=session, principal=MANAGER, kind=KINDS["people"], data=data, source="p.csv")
    assert report.counts() == {
        "read": ERRORS_KEPT + 201,
        "stored": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": ERRORS_KEPT + 200,
        "duplicates": 0,
    }
    assert _batch(session, report.batch_id) == (ERRORS_KEPT + 201, 1, ERRORS_KEPT + 200, ERRORS_KEPT)


def test_a_stream_is_read_for_an_import_as_bytes_are(session: Session) -> None:
    data = b"user_id,country,created_at\nU1,GB,2026-01-01T00:00:00+00:00\nU2,GB,2026-01-01T00:00:00+00:00\n"
    report = import_file(
        session=session,
        principal=MANAGER,
        kind=KINDS["people"],
        data=io.BytesIO(data),
        source="p.csv",
        dry_run=True,
    )
    assert report.counts() == {
        "read": 2,
        "stored": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "duplicates": 0,
    }


def test_an_import_refuses_a_csv_record_longer_than_64_kib(session: Session) -> None:
    data = (
        b'user_id,full_name,country,created_at\nU1,"' + b"x\n" * 40_000 + b'",GB,2026-01-01T00:00:00+00:00\n'
    )
    with pytest.raises(FileRefused, match=r"^p\.csv: line 2: record longer than 65,536 bytes"):
        import_file(
            session=session, principal=MANAGER, kind=KINDS["people"], data=data, source="p.csv", dry_run=True
        )


def test_lines_are_cut_at_the_cap_and_numbered_and_the_input_size_is_capped() -> None:
    stream = io.BytesIO(b"a\n" + b"b" * (MAX_LINE_BYTES + 10) + b"\nc")
    assert list(bounded_lines(stream)) == [(1, b"a\n"), (2, None), (3, b"c")]
    exact = io.BytesIO(b"b" * MAX_LINE_BYTES + b"\n")
    assert list(bounded_lines(exact)) == [(1, b"b" * MAX_LINE_BYTES + b"\n")]
    with pytest.raises(InputTooLarge, match=r"^more than 10 bytes"):
        list(bounded_lines(io.BytesIO(b"1234\n1234\n1234\n"), max_bytes=10))


def test_the_input_cap_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPLIANCE_MAX_INPUT_BYTES", raising=False)
    assert get_settings().max_input_bytes == 16 * 2**30
    monkeypatch.setenv("COMPLIANCE_MAX_INPUT_BYTES", "5000")
    assert get_settings().max_input_bytes == 5000
    monkeypatch.setenv("COMPLIANCE_MAX_INPUT_BYTES", "lots")
    with pytest.raises(ValueError, match="COMPLIANCE_MAX_INPUT_BYTES"):
        get_settings()
