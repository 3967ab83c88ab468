"""optout_honour_monthly: honoured opt-outs counted by month, rule, channel, outcome and minutes to honour.

An opt-out's receipt and rule are written with it and never edited; its suppression time (and the deadline,
recomputed then) are written once more when the suppression is marked applied later. So each honoured one adds
1 to one row when it is inserted, moves from its old row to its new one when it is updated, and takes it away
if it is deleted: through the ORM, mapper events do it, so no writer can forget; bulk loads, which bypass the
ORM, and the migration rebuild the table. The key is
computed here, in Python, by both paths, so they cannot round differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect, select
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.sql.expression import ColumnElement

from data_access.models import OptOutHonourMonthly, PreferenceEvent
from data_access.models.enums import Channel, PreferenceStatus
from data_access.sql import add_counts, utc_month_of

HonourKey = tuple[str, str, str, str, int]  # month, rule, channel, outcome, minutes
HONOUR_KEYS = ("month", "rule", "channel", "outcome", "minutes")
REBUILD_BATCH = 10_000
ON_TIME, LATE = "on time", "late"  # the outcomes of an honoured opt-out


def limit_ended(at: datetime | ColumnElement[Any]) -> ColumnElement[bool]:
    """An opt-out's legal limit has ended at `at` (the deadline is the first instant past it): one
    still waiting for its suppression then is overdue, and suppression applied from then on is late
    (as honour_key decides)."""
    return PreferenceEvent.honour_deadline_at <= at


def honour_key(
    received_at: datetime,
    honoured_at: datetime | None,
    deadline_at: datetime | None,
    rule: str | None,
    channel: str,
) -> HonourKey | None:
    """The row an opt-out counts in, or None when it is not honoured yet or has no deadline (not an opt-out).
    On time: suppression applied before the deadline ended, as the report's live queries compare."""
    if honoured_at is None or deadline_at is None or rule is None:
        return None
    outcome = ON_TIME if honoured_at < deadline_at else LATE
    return (
        utc_month_of(received_at),
        rule,
        channel,
        outcome,
        (honoured_at - received_at) // timedelta(minutes=1),
    )


def rebuild_optout_honour(session: Session) -> None:
    """Recompute the whole table from the opt-outs (after bulk loads and in the migration)."""
    e = PreferenceEvent
    session.execute(delete(OptOutHonourMonthly))
    rows = session.execute(
        select(e.received_at, e.honoured_at, e.honour_deadline_at, e.rule, e.channel)
        .where(
            e.new_status == PreferenceStatus.OPTED_OUT,
            e.honoured_at.is_not(None),
            e.honour_deadline_at.is_not(None),
        )
        .execution_options(yield_per=REBUILD_BATCH)
    )
    counts = Counter(
        key
        for r in rows
        if (
            key := honour_key(
                r.received_at, r.honoured_at, r.honour_deadline_at, r.rule, Channel(r.channel).value
            )
        )
        is not None
    )
    if counts:
        session.execute(insert(OptOutHonourMonthly), _rows(counts))


def _rows(counts: Counter[HonourKey]) -> list[dict[str, object]]:
    return [dict(zip(HONOUR_KEYS, key, strict=True), opt_outs=n) for key, n in counts.items() if n]


@event.listens_for(PreferenceEvent, "after_insert")
def _opt_out_inserted(
    mapper: Mapper[PreferenceEvent], connection: Connection, preference: PreferenceEvent
) -> None:
    _count(connection, preference, 1)


@event.listens_for(PreferenceEvent, "after_delete")
def _opt_out_deleted(
    mapper: Mapper[PreferenceEvent], connection: Connection, preference: PreferenceEvent
) -> None:
    _count(connection, preference, -1)


@event.listens_for(PreferenceEvent, "after_update")
def _opt_out_updated(
    mapper: Mapper[PreferenceEvent], connection: Connection, preference: PreferenceEvent
) -> None:
    """The suppression marked applied later: the opt-out leaves the row it counted in (none while pending)."""
    before = _key(preference, _previous)
    after = _key(preference, getattr)
    if before == after:
        return
    changes: Counter[HonourKey] = Counter()
    if before is not None:
        changes[before] -= 1
    if after is not None:
        changes[after] += 1
    _add(connection, changes)


def _previous(preference: PreferenceEvent, name: str) -> object:
    """A column's value before this flush (the attribute history is still there in after_update)."""
    history = inspect(preference).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(preference, name)


def _key(preference: PreferenceEvent, read: Callable[[PreferenceEvent, str], Any]) -> HonourKey | None:
    if read(preference, "new_status") != PreferenceStatus.OPTED_OUT:
        return None
    return honour_key(
        read(preference, "received_at"),
        read(preference, "honoured_at"),
        read(preference, "honour_deadline_at"),
        read(preference, "rule"),
        Channel(read(preference, "channel")).value,
    )


def _count(connection: Connection, preference: PreferenceEvent, change: int) -> None:
    key = _key(preference, getattr)
    if key is not None:
        _add(connection, Counter({key: change}))


def _add(connection: Connection, changes: Counter[HonourKey]) -> None:
    add_counts(
        connection,
        OptOutHonourMonthly.__table__,  # type: ignore[arg-type]
        HONOUR_KEYS,
        ["opt_outs"],
        _rows(changes),
    )
