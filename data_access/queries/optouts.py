"""Opt-out figures from the preference history: transitions per month, honour times, messages after opt-outs.

Months are UTC calendar months. Every aggregate is computed in the database; what leaves is
grouped (a few hundred rows) or a short list of offending messages.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import pandas as pd
from sqlalchemy import String, and_, case, cast, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.expression import ColumnElement

from data_access.gateway import MAX_ROWS, read_df, read_one
from data_access.models import (
    CommunicationPreference,
    Contact,
    Message,
    OptOutHonourMonthly,
    Person,
    PreferenceEvent,
    PreferenceFlowMonthly,
)
from data_access.models.enums import (
    CommPurpose,
    MessageKind,
    MessageTiming,
    PreferenceSource,
    PreferenceStatus,
)
from data_access.optout_honour import LATE, limit_ended
from data_access.partitions import next_month
from data_access.preference_flow import NO_STATUS, transitions_from_history
from data_access.sql import hours_between, not_indexed, utc_month, utc_month_of

MAX_BUCKET_DAYS = 30
MINUTES_A_DAY = 24 * 60


def preference_transitions(
    *,
    session: Session,
    until: datetime,
    by_country: bool = False,
    purpose: CommPurpose = CommPurpose.MARKETING,
) -> pd.DataFrame:
    """Status changes per month and channel (and country): month, channel, [country,] from_status,
    to_status, people.

    The stock of opted-in and opted-out people at any month end is the running sum of changes. Whole months
    come from the monthly flow rollup; so does `until`'s month when no event is newer than `until` (a report
    as of now), otherwise that month up to `until` comes from the events themselves.
    By country (on demand) the history is replayed, as a person's country is read as it is now.
    """
    if by_country:
        history = transitions_from_history(until).where(PreferenceEvent.purpose == purpose).subquery()
        keys = (
            history.c.month,
            history.c.channel,
            Person.country,
            history.c.from_status,
            history.c.to_status,
        )
        return read_df(
            session,
            select(*keys, func.count().label("people"))
            .join(Person, Person.id == history.c.person_id)
            .group_by(*keys)
            .order_by(*keys[:3]),
        )
    f = PreferenceFlowMonthly
    month_of_until = f"{until.astimezone(UTC):%Y-%m}"
    newest = read_one(session, select(func.max(PreferenceEvent.received_at)))
    if (
        newest is None or newest < until
    ):  # the usual case, until = now: the rollup's current month is complete
        return read_df(
            session,
            select(f.month, f.channel, f.from_status, f.to_status, f.people)
            .where(f.purpose == purpose.value, f.month <= month_of_until, f.people != 0)
            .order_by(f.month, f.channel),
        )
    whole = read_df(
        session,
        select(f.month, f.channel, f.from_status, f.to_status, f.people).where(
            f.purpose == purpose.value, f.month < month_of_until, f.people != 0
        ),
    )
    partial = read_df(session, _partial_month(until, purpose))
    both = (
        pd.concat([frame for frame in (whole, partial) if not frame.empty])
        if len(whole) + len(partial)
        else whole
    )
    summed = both.groupby(["month", "channel", "from_status", "to_status"])["people"].sum().reset_index()
    return summed.sort_values(["month", "channel"]).reset_index(drop=True)


def _partial_month(until: datetime, purpose: CommPurpose) -> Select[tuple[Any, ...]]:
    """Transitions of the events from the start of `until`'s month up to `until`, each paired with the status
    before it by an index lookup (a few events, not the history)."""
    e, before = PreferenceEvent, aliased(PreferenceEvent)
    month_start = until.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    previous = (
        select(cast(before.new_status, String(32)))
        .where(
            before.person_id == e.person_id,
            before.channel == e.channel,
            before.purpose == e.purpose,
            or_(
                before.received_at < e.received_at,
                and_(before.received_at == e.received_at, before.id < e.id),
            ),
        )
        .order_by(before.received_at.desc(), before.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    changes = (
        select(
            utc_month(e.received_at).label("month"),
            cast(e.channel, String(32)).label("channel"),
            func.coalesce(previous, NO_STATUS).label("from_status"),
            cast(e.new_status, String(32)).label("to_status"),
        )
        .where(e.purpose == purpose, e.received_at >= month_start, e.received_at < until)
        .subquery()
    )
    keys = (changes.c.month, changes.c.channel, changes.c.from_status, changes.c.to_status)
    return select(*keys, func.count().label("people")).group_by(*keys)


def honour_time_histogram(
    *, session: Session, since: datetime, until: datetime, now: datetime
) -> pd.DataFrame:
    """Opt-outs received in the whole UTC months [since, until) by rule, channel, outcome and whole
    days to honour (capped at 30): rule, channel, outcome, days, opt_outs.

    Outcome: 'on time' (suppression applied before the legal deadline ended), 'late', 'pending' (not applied,
    deadline still open) or 'overdue' (not applied, deadline passed at `now`). Honoured opt-outs are read from
    their monthly rollup; the ones not honoured (whose outcome changes with `now`, not with a write) by the
    (status, honoured_at) index, which holds them together.
    """
    h, e = OptOutHonourMonthly, PreferenceEvent
    first, end = _whole_months(since, until)
    days = case(
        (h.minutes >= MAX_BUCKET_DAYS * MINUTES_A_DAY, MAX_BUCKET_DAYS), else_=h.minutes // MINUTES_A_DAY
    ).label("days")
    honoured = read_df(
        session,
        select(h.rule, h.channel, h.outcome, days, func.sum(h.opt_outs).label("opt_outs"))
        .where(h.month >= first, h.month < end)
        .group_by(h.rule, h.channel, h.outcome, days)
        .having(func.sum(h.opt_outs) != 0),
    )
    outcome = case((limit_ended(now), "overdue"), else_="pending").label("outcome")
    waiting = read_df(
        session,
        select(e.rule, cast(e.channel, String(32)).label("channel"), outcome, func.count().label("opt_outs"))
        .where(*_opt_outs_received(since, until), e.honoured_at.is_(None))
        .group_by(e.rule, e.channel, outcome),
    )
    frames = [frame for frame in (honoured, waiting.assign(days=None)) if not frame.empty]
    if not frames:
        return honoured
    histogram = pd.concat(frames, ignore_index=True)[["rule", "channel", "outcome", "days", "opt_outs"]]
    histogram["days"] = histogram["days"].astype(float)
    return histogram.sort_values(["rule", "channel", "days"], na_position="first").reset_index(drop=True)


def late_opt_outs(*, session: Session, since: datetime, until: datetime, now: datetime) -> pd.DataFrame:
    """Opt-outs received in the whole UTC months [since, until) whose suppression came after the
    deadline, or has not come and the deadline has passed at `now`: control failures, whether or not
    a message went out meanwhile.

    The overdue ones are read together by the (status, honoured_at) index; the late ones only from the months
    where the honour rollup counts some, as no index can compare suppression with deadline."""
    e, h = PreferenceEvent, OptOutHonourMonthly
    first, end = _whole_months(since, until)
    late_months = session.scalars(
        select(h.month)
        .where(h.outcome == LATE, h.month >= first, h.month < end)
        .group_by(h.month)
        .having(func.sum(h.opt_outs) != 0)
    ).all()
    listed = select(
        e.id,
        e.person_id,
        Contact.email,
        Contact.phone,
        cast(e.channel, String(32)).label("channel"),
        e.rule,
        e.received_at,
        e.honour_by,
        e.honoured_at,
        hours_between(e.received_at, e.honoured_at).label("hours_to_honour"),
    ).join(Contact, Contact.person_id == e.person_id, isouter=True)
    overdue = listed.where(*_opt_outs_received(since, until), e.honoured_at.is_(None), limit_ended(now))
    late = [
        listed.where(*_opt_outs_received(*_month_bounds(month)), e.honoured_at >= e.honour_deadline_at)
        for month in late_months
    ]
    both = union_all(overdue, *late).subquery()
    return read_df(session, select(both).order_by(both.c.received_at.desc(), both.c.id.desc()))


def median_honour_hours(*, session: Session, since: datetime, until: datetime) -> float | None:
    """The median time from receipt to suppression of the opt-outs received in the whole UTC months
    [since, until) and honoured, in hours, from each one's whole minutes (rounded down) in the monthly rollup:
    exact to the minute, read from a few hundred counts instead of every opt-out."""
    h = OptOutHonourMonthly
    first, end = _whole_months(since, until)
    counts = [
        (int(minutes), int(n))
        for minutes, n in session.execute(
            select(h.minutes, func.sum(h.opt_outs))
            .where(h.month >= first, h.month < end)
            .group_by(h.minutes)
            .order_by(h.minutes)
        )
    ]
    total = sum(n for _, n in counts)
    if not total:
        return None
    middle = [_nth(counts, (total - 1) // 2), _nth(counts, total // 2)]
    return sum(middle) / 2 / 60


def _nth(counts: Sequence[tuple[int, int]], rank: int) -> int:
    """The value at 0-based `rank` of the values in (value, how many) pairs sorted by value."""
    seen = 0
    for value, n in counts:
        seen += n
        if rank < seen:
            return value
    raise IndexError(rank)


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of a 'YYYY-MM' UTC month and of the next one."""
    start = date(int(month[:4]), int(month[5:7]), 1)
    return (datetime.combine(start, time.min, UTC), datetime.combine(next_month(start), time.min, UTC))


def _whole_months(since: datetime, until: datetime) -> tuple[str, str]:
    """'YYYY-MM' of since and until, which must start UTC months: the rollups count whole months."""
    for name, at in (("since", since), ("until", until)):
        utc = at.astimezone(UTC)
        if (utc.day, utc.hour, utc.minute, utc.second, utc.microsecond) != (1, 0, 0, 0, 0):
            raise ValueError(f"{name} must be the start of a UTC month, got {at.isoformat()}")
    return utc_month_of(since), utc_month_of(until)


def opt_out_message_counts(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """Promotional messages sent in [since, until) under an opt-out, by channel, campaign and timing
    (violation or not, data_access.opt_out_sends), with how many people they went to: from the
    partial index alone."""
    m = Message
    stmt = (
        select(
            cast(m.channel, String(32)).label("channel"),
            m.campaign,
            cast(m.opt_out_timing, String(32)).label("timing"),
            func.count(m.person_id.distinct()).label("people"),
            func.count().label("messages"),
        )
        .where(*_sent_under_opt_out(since, until))
        .group_by(m.channel, m.campaign, m.opt_out_timing)
        .order_by(m.channel, m.campaign, m.opt_out_timing)
    )
    return read_df(session, stmt)


def messages_after_opt_out(
    *,
    session: Session,
    since: datetime,
    until: datetime,
    timings: Collection[MessageTiming] = tuple(MessageTiming),
    contacts: bool = True,
    limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """The newest `limit` promotional messages sent in [since, until) under an opt-out with one of `timings`:
    each with its timing, its opt-out (deadline, suppression time) and the person's email and phone unless
    `contacts` is False (a verdict needs no contact details).

    The newest are picked from the partial index over messages.opt_out_event_id (data_access.opt_out_sends)
    first, and only they are joined to their opt-out and contact: each join reads a table page per
    message when the cache is cold, and at 1M people 1,412 messages were sent under an opt-out."""
    m, e = Message, PreferenceEvent
    newest = (
        select(m.id, m.person_id, m.channel, m.campaign, m.sent_at, m.opt_out_timing, m.opt_out_event_id)
        .where(*_sent_under_opt_out(since, until), m.opt_out_timing.in_([t.value for t in timings]))
        .order_by(m.sent_at.desc(), m.id.desc())
        .limit(limit)
        .subquery()
    )
    contact_columns = (Contact.email, Contact.phone) if contacts else ()
    stmt = select(
        newest.c.id.label("message_id"),
        newest.c.person_id,
        *contact_columns,
        cast(newest.c.channel, String(32)).label("channel"),
        newest.c.campaign,
        newest.c.sent_at,
        cast(newest.c.opt_out_timing, String(32)).label("timing"),
        e.id.label("opt_out_id"),
        e.received_at,
        e.rule,
        e.honour_by,
        e.honour_deadline_at,
        e.honoured_at,
    ).join(e, e.id == newest.c.opt_out_event_id)
    if contacts:
        stmt = stmt.join(Contact, Contact.person_id == newest.c.person_id, isouter=True)
    return read_df(session, stmt.order_by(newest.c.sent_at.desc(), newest.c.id.desc()), limit=limit)


def _sent_under_opt_out(since: datetime, until: datetime) -> list[ColumnElement[bool]]:
    """Promotional messages of [since, until) sent under an opt-out, by the partial index: "> 0"
    rather than IS NOT NULL, which SQLite does not answer from an index (ids start at 1);
    not_indexed keeps SQLite from starting at every promotional message of the period."""
    m = Message
    return [
        m.opt_out_event_id > 0,
        not_indexed(m.kind) == MessageKind.PROMOTIONAL,
        not_indexed(m.sent_at) >= since,
        not_indexed(m.sent_at) < until,
    ]


def gpc_signals(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """Global Privacy Control opt-outs of sale/sharing per month, and how many were honoured in time."""
    e = PreferenceEvent
    month = utc_month(e.received_at).label("month")
    on_time = func.sum(case((e.honoured_at < e.honour_deadline_at, 1), else_=0)).label("honoured_on_time")
    stmt = (
        select(month, func.count().label("signals"), on_time)
        .where(e.source == PreferenceSource.GPC, e.received_at >= since, e.received_at < until)
        .group_by(month)
        .order_by(month)
    )
    return read_df(session, stmt)


def current_preference_counts(
    *, session: Session, purpose: CommPurpose = CommPurpose.MARKETING
) -> pd.DataFrame:
    """Current state per channel from the state table: channel, status, people (a direct count)."""
    p = CommunicationPreference
    stmt = (
        select(
            cast(p.channel, String(32)).label("channel"),
            cast(p.status, String(32)).label("status"),
            func.count().label("people"),
        )
        .where(p.purpose == purpose)
        .group_by(p.channel, p.status)
        .order_by(p.channel, p.status)
    )
    return read_df(session, stmt)


def recent_opt_outs(*, session: Session, limit: int = 200) -> pd.DataFrame:
    """The newest opt-outs with deadline and suppression time (person data: managers and auditors only)."""
    e = PreferenceEvent
    stmt = (
        select(
            e.id,
            e.person_id,
            Contact.email,
            Contact.phone,
            cast(e.channel, String(32)).label("channel"),
            cast(e.purpose, String(32)).label("purpose"),
            cast(e.source, String(32)).label("source"),
            e.rule,
            e.received_at,
            e.honour_by,
            e.honoured_at,
        )
        .join(Contact, Contact.person_id == e.person_id, isouter=True)
        .where(e.new_status == PreferenceStatus.OPTED_OUT)
        .order_by(e.received_at.desc())
        .limit(limit)
    )
    return read_df(session, stmt, limit=limit)


def _opt_outs_received(since: datetime, until: datetime) -> list[ColumnElement[bool]]:
    e = PreferenceEvent
    return [
        e.new_status == PreferenceStatus.OPTED_OUT,
        e.received_at >= since,
        e.received_at < until,
        e.honour_deadline_at.is_not(None),
    ]


def pending_opt_outs(*, session: Session, limit: int = 200) -> pd.DataFrame:
    """Opt-outs whose suppression is not applied yet, the nearest deadline first: the list a manager works
    through to mark each one applied (person data: managers only)."""
    e = PreferenceEvent
    stmt = (
        select(
            e.id,
            e.person_id,
            Contact.email,
            Contact.phone,
            cast(e.channel, String(32)).label("channel"),
            cast(e.purpose, String(32)).label("purpose"),
            e.rule,
            e.received_at,
            e.honour_by,
        )
        .join(Contact, Contact.person_id == e.person_id, isouter=True)
        .where(e.new_status == PreferenceStatus.OPTED_OUT, e.honoured_at.is_(None))
        .order_by(e.honour_deadline_at, e.id)
        .limit(limit)
    )
    return read_df(session, stmt, limit=limit)
