"""Writing changes to rows a domain function loaded and decided on, for every feature alike; the
caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session


def set_values(session: Session, row: object, values: Mapping[str, Any]) -> None:
    """Set the fields and write them now, so a refused value (a constraint, a stale version) fails inside the
    caller's step and the mapper events that keep rollups current run before it goes on."""
    for field, value in values.items():
        setattr(row, field, value)
    session.flush()


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """One row's writes in a savepoint, flushed before it ends: a row refused by the database rolls
    back alone."""
    with session.begin_nested():
        yield
        session.flush()
