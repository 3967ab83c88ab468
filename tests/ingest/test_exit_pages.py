"""Exit pages kept current by visit as logs arrive (data_access.rollups.add_exit_page_changes): a visit that
gets a later line in a later file moves from its old exit page to its new one, and one that only gets earlier
lines keeps its exit. The property test (test_rollup_property.py) covers random files; these are the edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dashboard.imports.activity import ingest_access_log, ingest_events
from data_access.locks import WriterLock
from data_access.models import TrafficDaily
from tests.ingest.test_ingest import MANAGER, _line

AT = datetime(2026, 10, 5, 9, tzinfo=UTC)


def _import(session: Session, path: Path, *lines: str) -> None:
    path.write_text("".join(lines))
    ingest_access_log(session=session, principal=MANAGER, path=path)
    session.commit()


def _exits(session: Session) -> dict[str, int]:
    t = TrafficDaily
    return dict(
        session.execute(
            select(t.value, t.requests).where(t.dimension == "exit_page", t.day == date(2026, 10, 5))
        ).all()
    )


def test_a_later_line_moves_the_visit_to_its_new_exit_page(session: Session, tmp_path: Path) -> None:
    _import(session, tmp_path / "a.log", _line(AT, "/a"), _line(AT, "/x", ip="203.0.113.9"))
    assert _exits(session) == {"/a": 1, "/x": 1}

    _import(session, tmp_path / "b.log", _line(AT + timedelta(minutes=5), "/b"))

    assert _exits(session) == {"/b": 1, "/x": 1}  # no row left at zero for /a


def test_an_earlier_line_leaves_the_exit_page_and_a_tie_goes_to_the_line_stored_last(
    session: Session, tmp_path: Path
) -> None:
    _import(session, tmp_path / "a.log", _line(AT, "/a"))
    _import(session, tmp_path / "b.log", _line(AT - timedelta(minutes=5), "/earlier"))
    assert _exits(session) == {"/a": 1}

    _import(session, tmp_path / "c.log", _line(AT, "/same-second"))

    assert _exits(session) == {"/same-second": 1}  # as _exit_pages orders them: ts, then id


def test_within_one_file_a_tie_goes_to_the_line_written_last(session: Session, tmp_path: Path) -> None:
    """Ingest stores a chunk's rows grouped by client (index locality), keeping each client's in
    file order: the visit's lines of one second, interleaved with other clients' and other users',
    still end on the last one."""
    _import(
        session,
        tmp_path / "a.log",
        _line(AT, "/first", authuser="zoe"),
        _line(AT, "/x", ip="198.51.100.1"),
        _line(AT, "/second"),
        _line(AT, "/y", ip="192.0.2.1"),
        _line(AT, "/last", authuser="amy"),
    )
    assert _exits(session) == {"/last": 1, "/x": 1, "/y": 1}


@pytest.mark.parametrize("kind", ["access_log", "events"])
def test_an_import_holds_the_import_lock_until_it_commits(
    session: Session, tmp_path: Path, kind: str
) -> None:
    """On PostgreSQL two imports into the same visits would each move them off the same old exit page."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time without a lock")
    if kind == "access_log":
        path = tmp_path / "a.log"
        path.write_text(_line(AT, "/a"))
        ingest_access_log(session=session, principal=MANAGER, path=path)
    else:
        path = tmp_path / "a.jsonl"
        path.write_text('{"ts": "2026-10-05T09:00:00+00:00", "feature": "invoices", "action": "view"}\n')
        ingest_events(session=session, principal=MANAGER, path=path)
    held = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
        "AND objid = :key"
    )
    assert session.scalar(held, {"key": int(WriterLock.IMPORT)}) == 1
    session.commit()
    assert session.scalar(held, {"key": int(WriterLock.IMPORT)}) == 0


def test_the_visits_query_has_one_text_whatever_the_visits(session: Session) -> None:
    """SQLite's statement cache keeps each text it is given (0.8 MB each for this query): a text
    that varied with the number of visits, or with where the visits without a user agent were, held
    90 MB after 300k lines."""
    from data_access.rollups import VISITS_PER_STATEMENT, _visit_exits

    dialect = session.get_bind().dialect
    day = date(2026, 10, 5)
    batches = [
        [(day, "203.0.113.5", "curl/8.5.0")],
        [(day, "203.0.113.5", None), (day, "203.0.113.6", "x")],
        [(day, f"203.0.113.{n % 250}", None if n % 3 else "x") for n in range(VISITS_PER_STATEMENT)],
    ]
    assert (
        len({str(_visit_exits(visits, n).compile(dialect=dialect)) for n, visits in enumerate(batches)}) == 1
    )
