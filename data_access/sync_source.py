"""What `compliance sync` reads and keeps: the changed rows of a table in the billing platform's own database,
and the high-water mark per source and entity (sync_state). The mapping and the rules are in
dashboard.imports.sync; the caller owns the transaction on our side."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, RowMapping, Table, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from data_access.models import Person, SyncState


class MissingSourceColumns(LookupError):
    def __init__(self, table: str, missing: list[str]) -> None:
        super().__init__(f"{table} has no column {', '.join(missing)}")
        self.table, self.missing = table, missing


def source_name(url: str) -> str:
    """The source as stored: its URL without the password."""
    return make_url(url).render_as_string(hide_password=True)[:255]


def changed_rows(
    url: str, table_name: str, columns: Sequence[str], updated_at: str, since: Any | None, chunk: int
) -> Generator[Sequence[RowMapping], None, None]:
    """The table's rows changed after `since` (all if None), oldest change first, `chunk` rows at a time.
    MissingSourceColumns before any row if the table lacks one of `columns`."""
    engine = create_engine(url)
    try:
        table = Table(table_name, MetaData(), autoload_with=engine)
        if missing := [c for c in columns if c not in table.c]:
            raise MissingSourceColumns(table_name, missing)
        statement = select(table).order_by(table.c[updated_at])
        if since is not None:
            statement = statement.where(table.c[updated_at] > since)
        with engine.connect() as connection:
            yield from connection.execute(statement).mappings().partitions(chunk)
    finally:
        engine.dispose()


def sync_state(session: Session, source: str, entity: str) -> SyncState:
    """The stored state of this source and entity, or a new one (added to the session)."""
    state = session.get(SyncState, (source, entity)) or SyncState(source=source, entity=entity)
    session.add(state)
    return state


def save_sync_state(session: Session, state: SyncState, high_water: datetime | None, at: datetime) -> None:
    state.high_water, state.updated_at = high_water, at
    session.flush()


def store_person(session: Session, person: Person) -> None:
    """A person created or changed by the sync, written now (with their contact)."""
    session.add(person)
    session.flush()
