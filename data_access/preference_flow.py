"""The monthly preference flow (preference_flow_monthly): rebuilt from the history, or kept current per event.

A transition pairs each event with the same person's previous event on that channel and purpose, in the
order (received_at, id); the first event comes from 'none'. A new event E between P (before) and N (after)
adds P->E in E's month and, when N exists, turns N's transition P->N into E->N in N's month. So an event
imported late, out of time order, keeps the table equal to a rebuild.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import String, and_, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from data_access.models import PreferenceEvent, PreferenceFlowMonthly
from data_access.sql import add_counts, utc_month, utc_month_of

NO_STATUS = "none"  # the from-status of a person's first event on a channel and purpose
FlowKey = tuple[str, str, str, str, str]  # month, channel, purpose, from_status, to_status
FLOW_KEYS = ("month", "channel", "purpose", "from_status", "to_status")


def transitions_from_history(until: object | None = None) -> Select[tuple[object, ...]]:
    """Every event with the status before it (a window over the whole history): month, channel, purpose,
    from_status, to_status, person_id, received_at. The one definition a rebuild and the raw reports share."""
    e = PreferenceEvent
    previous = func.lag(cast(e.new_status, String(32))).over(
        partition_by=(e.person_id, e.channel, e.purpose), order_by=(e.received_at, e.id)
    )
    stmt = select(
        utc_month(e.received_at).label("month"),
        cast(e.channel, String(32)).label("channel"),
        cast(e.purpose, String(32)).label("purpose"),
        func.coalesce(previous, NO_STATUS).label("from_status"),
        cast(e.new_status, String(32)).label("to_status"),
        e.person_id,
        e.received_at,
    )
    return stmt.where(e.received_at < until) if until is not None else stmt


def rebuild_preference_flow(session: Session) -> None:
    """Recompute the whole table from the preference history (after bulk loads and in the migration)."""
    session.execute(delete(PreferenceFlowMonthly))
    history = transitions_from_history().subquery()
    keys = (history.c.month, history.c.channel, history.c.purpose, history.c.from_status, history.c.to_status)
    session.execute(
        insert(PreferenceFlowMonthly).from_select(
            ["month", "channel", "purpose", "from_status", "to_status", "people"],
            select(*keys, func.count()).group_by(*keys),
        )
    )


def add_preference_event(session: Session, event: PreferenceEvent) -> None:
    """Account for one newly stored event (flushed, so it has its id)."""
    e = PreferenceEvent
    same = (
        e.person_id == event.person_id,
        e.channel == event.channel,
        e.purpose == event.purpose,
        e.id != event.id,
    )
    before = or_(e.received_at < event.received_at, and_(e.received_at == event.received_at, e.id < event.id))
    after = or_(e.received_at > event.received_at, and_(e.received_at == event.received_at, e.id > event.id))
    previous = session.execute(
        select(e.new_status).where(*same, before).order_by(e.received_at.desc(), e.id.desc()).limit(1)
    ).scalar()
    following = session.execute(
        select(e.new_status, e.received_at).where(*same, after).order_by(e.received_at, e.id).limit(1)
    ).first()
    channel, purpose, status = str(event.channel.value), str(event.purpose.value), str(event.new_status.value)
    from_status = str(previous.value) if previous is not None else NO_STATUS
    changes: Counter[FlowKey] = Counter(
        {(utc_month_of(event.received_at), channel, purpose, from_status, status): 1}
    )
    if following is not None:
        month, next_status = utc_month_of(following.received_at), str(following.new_status.value)
        changes[(month, channel, purpose, from_status, next_status)] -= 1
        changes[(month, channel, purpose, status, next_status)] += 1
    _apply(session, changes)


def _apply(session: Session, changes: Counter[FlowKey]) -> None:
    add_counts(
        session,
        PreferenceFlowMonthly.__table__,  # type: ignore[arg-type]
        FLOW_KEYS,
        ["people"],
        [
            {"month": m, "channel": c, "purpose": p, "from_status": f, "to_status": t, "people": n}
            for (m, c, p, f, t), n in changes.items()
            if n
        ],
    )
