"""PostgreSQL stores a log's lines through COPY into a staging table (data_access.copy_insert), not
one INSERT a row: what it stores is what SQLite stores (rows, their order of ids, links, rejections,
rollups), a second import of the file stores nothing, read = stored + rejected on both runs, and the
foreign keys it checks once per chunk hold as the per-row triggers held them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.activity import CHUNK, ingest_access_log
from data_access.bulk import insert_values_ignoring_conflicts
from data_access.db import session_factory
from data_access.models import AccessLogEntry, ActivityDaily, Person, RejectedRow, TrafficDaily
from data_access.models.enums import Role
from tests.conftest import truncate_all
from tests.databases import HOW_TO_GET_POSTGRES
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "curl/8.5.0", "-"]


def _write_log(path: Path, refs: list[str]) -> None:
    """Over a chunk: linked and unlinked lines, two zones, same-second ties in visits, corpus."""
    start = datetime(2026, 10, 1, 22, tzinfo=UTC)
    with path.open("wb") as out:
        out.write(CORPUS.read_bytes())
        for i in range(CHUNK + CHUNK // 2):
            at = (start + timedelta(seconds=23 * (i // 2))).astimezone(UTC if i % 3 else None)
            query = f"uid={refs[i % len(refs)]}" if i % 4 == 0 else f"page={i % 11}"
            out.write(
                f"198.51.100.{i % 50} - - [{at:%d/%b/%Y:%H:%M:%S %z}] "
                f'"GET /p/{i % 7}?{query} HTTP/1.1" {(200, 304, 404)[i % 3]} {i % 9000} '
                f'"https://r{i % 5}.example/" "{AGENTS[i % 3]}"\n'.encode()
            )


def _stored(engine: Engine) -> dict[str, list[Any]]:
    """What an import leaves, engine-neutral: people by user id, lines also in the order of ids."""
    log, person, activity, traffic = AccessLogEntry, Person, ActivityDaily, TrafficDaily
    lines = select(
        log.line_key,
        log.ts,
        log.client,
        log.authuser,
        log.method,
        log.path,
        log.query,
        log.protocol,
        log.status,
        log.bytes_sent,
        log.referrer,
        log.user_agent,
        person.external_ref,
    ).outerjoin(person, person.id == log.person_id)
    with session_factory(engine)() as session:

        def rows(query: Any) -> list[tuple[Any, ...]]:  # sorted here: the engines collate apart
            return sorted((tuple(row) for row in session.execute(query)), key=repr)

        return {
            "log": rows(lines),
            "order": list(session.scalars(select(log.line_key).order_by(log.id))),
            "rejected": rows(select(RejectedRow.line_no, RejectedRow.field, RejectedRow.reason)),
            "traffic": rows(
                select(traffic.day, traffic.dimension, traffic.value, traffic.requests, traffic.bytes_sent)
            ),
            "activity": rows(
                select(activity.day, person.external_ref, activity.requests).join(
                    person, person.id == activity.person_id
                )
            ),
        }


def _import_twice(engine: Engine, log: Path) -> dict[str, list[Any]]:
    with session_factory(engine)() as session:
        first = ingest_access_log(session=session, principal=MANAGER, path=log, workers=1)
        session.commit()
        assert first.read == first.stored + first.rejected and first.rejected and first.stored
        stored = _stored(engine)
        second = ingest_access_log(session=session, principal=MANAGER, path=log, workers=1)
        session.commit()
    assert (second.read, second.stored, second.duplicates) == (first.read, 0, first.stored)
    assert second.read == second.stored + second.rejected
    assert _stored(engine) | {"rejected": []} == stored | {"rejected": []}  # nothing stored twice
    return stored


def _fresh(migrated_engines: dict[str, Engine], name: str, refs: list[str]) -> Engine:
    engine = migrated_engines[name]
    truncate_all(engine)
    with session_factory(engine)() as session:
        for ref in refs:
            make_person(session).external_ref = ref
        session.commit()
    return engine


def test_postgresql_stores_through_copy_what_sqlite_stores(
    migrated_engines: dict[str, Engine], tmp_path: Path
) -> None:
    if "postgresql" not in migrated_engines:
        pytest.skip(HOW_TO_GET_POSTGRES)
    refs = [f"U{n:07d}" for n in range(1, 31)]
    log = tmp_path / "access.log"
    _write_log(log, refs)
    expected = _import_twice(_fresh(migrated_engines, "sqlite", refs), log)
    stored = _import_twice(_fresh(migrated_engines, "postgresql", refs), log)
    assert expected["activity"] and any(row[-1] for row in expected["log"])
    assert stored == expected


@contextmanager
def _inserts_into(engine: Engine, table: str) -> Iterator[list[tuple[str, bool]]]:
    """(statement, executemany) of each INSERT into `table` sent through the engine while inside."""
    sent: list[tuple[str, bool]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
            sent.append((statement, many))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def _postgresql_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no COPY: one prepared executemany a chunk is its fastest way in")


def test_postgresql_sends_no_insert_a_row(engine: Engine, session: Session, tmp_path: Path) -> None:
    _postgresql_only(engine)
    log = tmp_path / "access.log"
    _write_log(log, [make_person(session).external_ref])
    session.commit()
    with _inserts_into(engine, AccessLogEntry.__tablename__) as sent:
        report = ingest_access_log(session=session, principal=MANAGER, path=log, workers=1)
        session.commit()
    assert report.stored > CHUNK
    assert sent and not [statement for statement, many in sent if many or "VALUES" in statement.upper()]
    assert len(sent) == -(-report.read // CHUNK)  # one INSERT .. SELECT a chunk


LOG = AccessLogEntry.__table__
LINE = ("ts", "client", "line_key", "person_id")


def _line(key: str, person_id: int | None) -> tuple[Any, ...]:
    return (datetime(2026, 10, 1, tzinfo=UTC), "203.0.113.9", key, person_id)


def test_a_line_naming_no_person_is_refused_as_the_triggers_refused_it(session: Session) -> None:
    with pytest.raises(IntegrityError):
        insert_values_ignoring_conflicts(
            session,
            LOG,
            LINE,  # type: ignore[arg-type]
            [_line("a", None), _line("b", 987_654)],
        )


def test_the_people_a_chunk_names_cannot_be_deleted_until_it_commits(
    engine: Engine, session: Session
) -> None:
    _postgresql_only(engine)
    person = make_person(session).id
    session.commit()
    stored = insert_values_ignoring_conflicts(
        session,
        LOG,
        LINE,  # type: ignore[arg-type]
        [_line("a", person), _line("b", person)],
    )
    assert stored == 2
    with session_factory(engine)() as other:
        other.execute(text("SET LOCAL lock_timeout = '300ms'"))
        with pytest.raises(OperationalError, match="busy"):
            other.execute(delete(Person).where(Person.id == person))
    session.commit()
    with session_factory(engine)() as other:  # after the commit the person goes, lines unlinked
        other.execute(delete(Person).where(Person.id == person))
        other.commit()
    assert set(session.scalars(select(AccessLogEntry.person_id))) == {None}
