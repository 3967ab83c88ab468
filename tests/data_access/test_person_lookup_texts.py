"""The ingest's person lookups send a bounded number of SQL texts, on both engines.

`column.in_(values)` renders one placeholder per value, so every distinct count of values was a new SQL text;
SQLite's statement cache (128 a connection) kept each, about 1 MB at 5,000 values, and an ingest's memory grew
with the variety of its chunks (issue 23 item 2). The lookups pad to a few sizes."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from data_access.activity_repo import people_by_identifier, people_by_ref
from tests.factories import make_person


def test_lookups_of_any_size_use_a_few_sql_texts_and_find_the_same_people(session: Session) -> None:
    ada = make_person(session, email="ada@example.com")
    texts: set[str] = set()

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        texts.add(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for n in range(1, 1200, 7):
            values = [f"nobody-{i}" for i in range(n)] + [ada.external_ref]
            assert people_by_ref(session, values) == {ada.external_ref: ada.id}, n
            assert people_by_identifier(session, values) == {}, n
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(texts) <= 2 * 8, len(texts)  # a handful of sizes per lookup, not one per count
