"""Every import kind on SQLite and PostgreSQL: the sample file goes in, a file with each class of error is
rejected row by row naming line and field while its good rows go in, a re-import changes nothing, and a dry
run writes nothing. Samples live in docs/import-samples/ and are imported in dependency order."""

from __future__ import annotations

import csv
import io
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.columns import Column
from dashboard.imports.kinds import KINDS
from dashboard.imports.report import FileRefused
from dashboard.imports.runner import import_file
from dashboard.imports.suppression import import_suppression_list
from data_access.db import make_engine, session_factory
from data_access.models import Base, ImportBatch, Message, PreferenceEvent, SharingRecord
from data_access.models.enums import Role
from tests.locking import write_lock_held

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"
ORDER = [
    "people",
    "recipients",
    "preferences",
    "messages",
    "sharing",
    "legal-requests",
    "transfer-notifications",
    "policy-versions",
    "policy-notifications",
    "subject-requests",
]
GARBAGE = {
    "datetime": "last Tuesday",
    "date": "31/02/2026",
    "enum": "teleport",
    "email": "not-an-email",
    "person": "U0000000-nobody",
    "int": "many",
    "bool": "perhaps",
}


def _load(session: Session, kinds: list[str]) -> None:
    for name in kinds:
        report = import_file(
            session=session,
            principal=MANAGER,
            kind=KINDS[name],
            data=(SAMPLES / f"{name}.csv").read_bytes(),
            source=f"{name}.csv",
        )
        assert report.rejected == 0, (name, [str(e) for e in report.errors])
    session.commit()


def _rows_count(session: Session) -> int:
    return sum(
        session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
        if t.name not in ("audit_log", "audit_head", "import_batches", "rejected_rows")
    )


def _bad_file(name: str) -> tuple[bytes, list[tuple[int, str]]]:
    """The sample with, after its good rows, one row per class of error; returns the expected (line,
    field)s."""
    columns: tuple[Column, ...] = KINDS[name].columns
    reader = list(csv.DictReader(io.StringIO((SAMPLES / f"{name}.csv").read_text())))
    good = reader[0]
    rows, expected = list(reader), []
    required = next(c for c in columns if c.required)
    rows.append({**good, required.name: ""})
    expected.append((len(rows) + 1, required.name))
    typed = next((c for c in columns if c.kind in GARBAGE), None)
    if typed is not None:
        rows.append({**good, typed.name: GARBAGE[typed.kind]})
        expected.append((len(rows) + 1, typed.name))
    rows.append(dict(good))  # a duplicate of the first row
    expected.append((len(rows) + 1, columns[0].name))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.name for c in columns])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(), expected


@pytest.mark.parametrize("name", ORDER)
def test_each_kind_good_file_errors_reimport_and_dry_run(session: Session, name: str) -> None:
    _load(session, ORDER[: ORDER.index(name)])
    data, expected = _bad_file(name)
    before = _rows_count(session)
    dry = import_file(
        session=session, principal=MANAGER, kind=KINDS[name], data=data, source="bad.csv", dry_run=True
    )
    session.commit()
    assert _rows_count(session) == before and dry.batch_id is None
    report = import_file(session=session, principal=MANAGER, kind=KINDS[name], data=data, source="bad.csv")
    session.commit()
    assert (dry.read, dry.stored, dry.rejected) == (report.read, report.stored, report.rejected)
    assert report.read == report.stored + report.rejected and report.stored >= 1
    assert [(e.line, e.field) for e in report.errors] == expected, [str(e) for e in report.errors]
    batch = session.get(ImportBatch, report.batch_id)
    assert batch is not None and (batch.rows_read, batch.rows_stored, batch.rows_rejected) == (
        report.read,
        report.stored,
        report.rejected,
    )
    after = _rows_count(session)
    again = import_file(session=session, principal=MANAGER, kind=KINDS[name], data=data, source="bad.csv")
    session.commit()
    assert again.stored == 0 and _rows_count(session) == after


def test_a_file_with_an_unknown_column_is_refused_whole(session: Session) -> None:
    with pytest.raises(FileRefused, match="unknown column"):
        import_file(
            session=session,
            principal=MANAGER,
            kind=KINDS["people"],
            data=b"user_id,shoe_size\nU1,9\n",
            source="odd.csv",
        )


def test_json_lines_are_read_like_csv(session: Session) -> None:
    data = (
        b'{"user_id": "U7000001", "country": "FR", "created_at": "2026-01-01T00:00:00+01:00"}\n'
        b'{"user_id": "U7000002", "country": "FR"}\n{broken\n'
    )
    report = import_file(
        session=session, principal=MANAGER, kind=KINDS["people"], data=data, source="p.jsonl"
    )
    assert (report.read, report.stored, [(e.line, e.field) for e in report.errors]) == (
        3,
        1,
        [(2, "created_at"), (3, "row")],
    )


def test_a_sharing_the_policy_forbids_is_rejected_by_the_same_rule_as_the_form(session: Session) -> None:
    _load(session, ["people", "recipients"])
    data = (
        b"recipient,shared_at,categories,purpose,legal_basis,consent_scope,people,description\n"
        b"Sample Mail Platform,2026-10-01T12:00:00+00:00,user.contact.phone_number,"
        b"essential.service.notifications,contract,,U9000001,SMS\n"
    )
    report = import_file(session=session, principal=MANAGER, kind=KINDS["sharing"], data=data, source="s.csv")
    assert report.stored == 0 and report.errors[0].field == "categories"


def test_the_runner_reports_progress_as_rows_are_read(session: Session) -> None:
    rows = "".join(f"U8{n:06d},FR,2026-01-01T00:00:00+00:00\n" for n in range(250))
    seen: list[int] = []
    report = import_file(
        session=session,
        principal=MANAGER,
        kind=KINDS["people"],
        data=("user_id,country,created_at\n" + rows).encode(),
        source="p.csv",
        progress=seen.append,
    )
    assert report.stored == 250 and seen == [100, 200]


STORED = {"preferences": PreferenceEvent, "messages": Message, "sharing": SharingRecord}


def _shifted(value: str) -> str:
    """The same instant written with another UTC offset (+05:30), as another system might export it."""
    return datetime.fromisoformat(value).astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()


@pytest.mark.parametrize(
    ("name", "time_column"),
    [("preferences", "received_at"), ("messages", "sent_at"), ("sharing", "shared_at")],
)
def test_a_row_stored_before_is_a_duplicate_whatever_utc_offset_writes_its_time(
    session: Session, name: str, time_column: str
) -> None:
    _load(session, ORDER[: ORDER.index(name) + 1])
    # Rows an earlier version keyed differently (its keys kept the file's offset): matched by
    # meaning, not key.
    session.execute(update(STORED[name]).values(natural_key=func.upper(STORED[name].natural_key)))
    session.commit()
    before = _rows_count(session)
    reader = list(csv.DictReader(io.StringIO((SAMPLES / f"{name}.csv").read_text())))
    row = {**reader[-1], time_column: _shifted(reader[-1][time_column])}
    assert row[time_column] != reader[-1][time_column]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerows(
        [row, {**row, time_column: _shifted(reader[-1][time_column]).replace("+05:30", "+00:00")}]
    )
    report = import_file(
        session=session,
        principal=MANAGER,
        kind=KINDS[name],
        data=out.getvalue().encode(),
        source="shifted.csv",
    )
    session.commit()
    assert (report.stored, report.duplicates) == (1, 1), [
        str(e) for e in report.errors
    ]  # another instant: new
    assert _rows_count(session) > before
    assert "already stored" in report.errors[0].reason and report.errors[0].line == 2


def test_an_opt_out_from_a_suppression_list_and_from_a_preferences_file_is_stored_once(
    session: Session,
) -> None:
    _load(session, ["people"])
    reader = list(csv.DictReader(io.StringIO((SAMPLES / "preferences.csv").read_text())))
    opt_out = next(r for r in reader if r["status"] == "opted_out")
    suppression = (
        f"user,channel,received_at,source,purpose,honoured_at\n{opt_out['user']},{opt_out['channel']},"
        f"{_shifted(opt_out['received_at'])},{opt_out['source']},{opt_out['purpose']},"
        f"{opt_out['honoured_at']}\n"
    ).encode()
    first = import_suppression_list(session=session, principal=MANAGER, data=suppression, source="list.csv")
    session.commit()
    assert first.stored == 1, [str(e) for e in first.errors]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(opt_out))
    writer.writeheader()
    writer.writerow(opt_out)
    second = import_file(
        session=session,
        principal=MANAGER,
        kind=KINDS["preferences"],
        data=out.getvalue().encode(),
        source="preferences.csv",
    )
    assert (second.stored, second.duplicates) == (0, 1), [str(e) for e in second.errors]
    again = import_suppression_list(session=session, principal=MANAGER, data=suppression, source="list.csv")
    assert (again.stored, again.duplicates) == (0, 1)


@pytest.mark.parametrize(
    "name", ["people", "preferences", "sharing", "legal-requests", "policy-notifications", "subject-requests"]
)
def test_a_dry_run_writes_nothing_so_it_runs_beside_an_import(
    session: Session, name: str, short_busy_timeout: int
) -> None:
    """While another import holds the database (SQLite's write lock; PostgreSQL's import lock and
    the audit head its rows' audit entries lock), a dry run still answers, at once, what the real
    run then does."""
    _load(session, ORDER[: ORDER.index(name)])
    data, _ = _bad_file(name)
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    other = make_engine(engine.url.render_as_string(hide_password=False))  # with the short busy timeout
    try:
        with write_lock_held(engine), session_factory(other)() as dry_session:
            started = time.monotonic()
            dry = import_file(
                session=dry_session,
                principal=MANAGER,
                kind=KINDS[name],
                data=data,
                source="bad.csv",
                dry_run=True,
            )
            dry_session.commit()
            assert time.monotonic() - started < 3, "the dry run waited for the other import"
    finally:
        other.dispose()
    report = import_file(session=session, principal=MANAGER, kind=KINDS[name], data=data, source="bad.csv")
    session.commit()
    assert [(e.line, e.field, e.reason) for e in dry.errors] == [
        (e.line, e.field, e.reason) for e in report.errors
    ]
    assert (dry.read, dry.stored, dry.duplicates) == (report.read, report.stored, report.duplicates)
    assert dry.stored >= 1 and dry.batch_id is None
