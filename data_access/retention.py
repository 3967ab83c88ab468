"""Records past their retention: counted per category, and removed in batches (docs/retention.md, issue 28).

The rules (period, event, action) come from the data map; what each category's start date, person link and
action are in SQL is decided here, table by table. Every statement skips the rows of a person under litigation
hold and rows named in retention_holds with a date still to come. Closed accounts are not erased
here: their ids come from `closed_accounts_past`, and dashboard.fulfilment.retention erases them as
an erasure request does (data_access.erasure).

On PostgreSQL the access log and usage events are partitioned by month (migration 0002): a month wholly before
the cutoff and holding no line of a held person is dropped whole (`droppable_partitions`, `drop_partition`);
what is left (the default partition, a held month, the month the cutoff falls in) is deleted row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from data_access.erasure import ERASED_MARK
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    Consent,
    FieldChange,
    ImportBatch,
    Invoice,
    Message,
    Person,
    PolicyNotification,
    PreferenceEvent,
    RejectedRow,
    RetentionHold,
    SharingRecord,
    SharingRecordPerson,
    SubjectRequest,
    UrlPiiFinding,
    UsageEvent,
)
from data_access.models.enums import AccountStatus, MessageKind
from data_access.partitions import PARTITIONED_TABLES, is_partitioned, next_month, partition_name

ACCOUNTS = "accounts"  # people, contacts, billing profiles, identifiers, preferences, first day: one erasure
ACCOUNT_TABLES = (
    "people",
    "contacts",
    "billing_profiles",
    "identifiers",
    "comm_preferences",
    "activity_first_day",
)


@dataclass(frozen=True)
class Category:
    """One table's records under one rule: when retention starts, who the row belongs to, what the
    purge does."""

    table: Table
    start: Any  # the column (or expression) the period runs from
    key: tuple[Any, ...]  # the primary key, to pick a batch
    person: Any = None  # the person the row belongs to (litigation hold), if any
    pseudonymise: Mapping[str, Any] | None = (
        None  # None: delete the row; else the values that remove what identifies
    )
    pending: Any = None  # for pseudonymise: the rows that still identify someone
    extra: tuple[Any, ...] = field(default_factory=tuple)  # further conditions (an index's leading column)
    # further conditions that depend on other categories' cutoffs (a row kept while a row that needs
    # it is kept)
    kept_while: Callable[[Mapping[str, datetime]], list[ColumnElement[bool]]] | None = None
    named_holds: bool = (
        False  # rows may be named in retention_holds (the erasure names the invoices it keeps)
    )

    @property
    def name(self) -> str:
        return self.table.name


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category(_t(Invoice), Invoice.issued_at, (Invoice.id,), Invoice.person_id, named_holds=True),
        Category(_t(AccessLogEntry), AccessLogEntry.ts, (AccessLogEntry.id,), AccessLogEntry.person_id),
        Category(_t(UsageEvent), UsageEvent.ts, (UsageEvent.id,), UsageEvent.person_id),
        Category(
            _t(ActivityDaily),
            ActivityDaily.day,
            (ActivityDaily.day, ActivityDaily.person_id),
            ActivityDaily.person_id,
        ),
        # an opt-out a message still within its retention was sent under stays with it: it decides
        # whether that message broke it
        Category(
            _t(PreferenceEvent),
            PreferenceEvent.received_at,
            (PreferenceEvent.id,),
            PreferenceEvent.person_id,
            kept_while=lambda cutoffs: [
                ~exists().where(
                    Message.opt_out_event_id == PreferenceEvent.id,
                    *([Message.sent_at >= cutoffs["messages"]] if "messages" in cutoffs else []),
                )
            ],
        ),
        # by kind first: ix_messages_kind_sent serves the range (there is no index led by sent_at)
        Category(
            _t(Message),
            Message.sent_at,
            (Message.id,),
            Message.person_id,
            extra=(Message.kind.in_(list(MessageKind)),),
        ),
        # a consent a kept sharing record relied on stays with it (the record is reviewed, not purged):
        # without it the sharing-consent check would find that sharing unlawful
        Category(
            _t(Consent),
            Consent.withdrawn_at,
            (Consent.id,),
            Consent.person_id,
            extra=(
                ~exists().where(
                    SharingRecordPerson.person_id == Consent.person_id,
                    SharingRecord.id == SharingRecordPerson.sharing_record_id,
                    SharingRecord.consent_scope == Consent.scope,
                    SharingRecord.shared_at >= Consent.given_at,
                    SharingRecord.shared_at < Consent.withdrawn_at,
                ),
            ),
        ),
        Category(
            _t(PolicyNotification),
            PolicyNotification.notified_at,
            (PolicyNotification.policy_version_id, PolicyNotification.person_id),
            PolicyNotification.person_id,
        ),
        Category(
            _t(SubjectRequest),
            SubjectRequest.closed_at,
            (SubjectRequest.id,),
            SubjectRequest.person_id,
            pseudonymise={
                "requester_name": ERASED_MARK,
                "requester_email": None,
                "requester_phone": None,
                "details": None,
            },
            pending=or_(
                SubjectRequest.requester_name != ERASED_MARK,
                SubjectRequest.requester_email.is_not(None),
                SubjectRequest.requester_phone.is_not(None),
                SubjectRequest.details.is_not(None),
            ),
        ),
        Category(_t(FieldChange), FieldChange.changed_at, (FieldChange.id,), FieldChange.person_id),
        Category(
            _t(RejectedRow),
            select(ImportBatch.started_at).where(ImportBatch.id == RejectedRow.batch_id).scalar_subquery(),
            (RejectedRow.id,),
            pseudonymise={"raw": None},
            pending=RejectedRow.raw.is_not(None),
        ),
        Category(_t(UrlPiiFinding), UrlPiiFinding.ts, (UrlPiiFinding.id,)),
    )
}


@dataclass(frozen=True)
class PastRetention:
    category: str
    records: int
    oldest: datetime | None


def _held_people() -> Select[Any]:
    return select(Person.id).where(Person.litigation_hold.is_(True))


def _not_held(category: Category, today: date) -> list[ColumnElement[bool]]:
    """Rows of a held person, and rows named in retention_holds until their date, are kept."""
    conditions: list[ColumnElement[bool]] = []
    if category.person is not None:
        conditions.append(or_(category.person.is_(None), category.person.not_in(_held_people())))
    if category.named_holds:
        h = RetentionHold
        conditions.append(
            ~exists().where(
                h.table_name == category.name, h.record_id == category.key[0], h.retain_until >= today
            )
        )
    return conditions


def _past(category: Category, cutoffs: Mapping[str, datetime], today: date) -> list[ColumnElement[bool]]:
    cutoff = cutoffs[category.name]
    bound = (
        cutoff.date() if category.name == "activity_daily" else cutoff
    )  # a day is past when before the cutoff's
    where = [*category.extra, category.start < bound, *_not_held(category, today)]
    if category.kept_while is not None:
        where += category.kept_while(cutoffs)
    if category.pending is not None:
        where.append(category.pending)
    return where


def accounts_past(cutoff: datetime) -> list[ColumnElement[bool]]:
    """Closed accounts whose closure (or, closed before it was recorded, last update) is before the cutoff."""
    return [
        Person.status == AccountStatus.CLOSED,
        func.coalesce(Person.closed_at, Person.updated_at) < cutoff,
        Person.litigation_hold.is_(False),
    ]


def count_past_retention(
    session: Session, cutoffs: Mapping[str, datetime], *, today: date
) -> list[PastRetention]:
    """Per category in `cutoffs` (ACCOUNTS or a CATEGORIES key), the records past retention and the
    oldest start, oldest first; `today` ends the holds named in retention_holds."""
    found = []
    for name, cutoff in cutoffs.items():
        if name == ACCOUNTS:
            query = select(func.count(), func.min(func.coalesce(Person.closed_at, Person.updated_at))).where(
                *accounts_past(cutoff)
            )
        else:
            category = CATEGORIES[name]
            query = (
                select(func.count(), func.min(category.start))
                .select_from(category.table)
                .where(*_past(category, cutoffs, today))
            )
        records, oldest = session.execute(query).one()
        if records:
            found.append(PastRetention(name, int(records), _as_datetime(oldest)))
    return sorted(found, key=lambda p: (p.oldest or datetime.max.replace(tzinfo=UTC), p.category))


def closed_accounts_past(session: Session, cutoff: datetime, *, limit: int) -> list[int]:
    return list(
        session.scalars(select(Person.id).where(*accounts_past(cutoff)).order_by(Person.id).limit(limit))
    )


def purge_batch(
    session: Session, name: str, cutoffs: Mapping[str, datetime], *, today: date, limit: int
) -> int:
    """Delete (or pseudonymise) at most `limit` records of the category past its cutoff (`cutoffs`: every
    category's, as count_past_retention takes them); returns how many."""
    category = CATEGORIES[name]
    picked = (
        select(*category.key).select_from(category.table).where(*_past(category, cutoffs, today)).limit(limit)
    )
    match = category.key[0].in_(picked) if len(category.key) == 1 else tuple_(*category.key).in_(picked)
    if category.pseudonymise is None:
        statement: Any = delete(category.table).where(match)
    else:
        values = dict(category.pseudonymise)
        if (
            "version" in category.table.c
        ):  # a versioned row (subject_requests): an open form must see the change
            values["version"] = category.table.c.version + 1
        statement = update(category.table).where(match).values(values)
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Partition:
    name: str
    month: date
    rows: int


def droppable_partitions(session: Session, table: str, cutoff: datetime) -> list[Partition]:
    """PostgreSQL: the monthly partitions of `table` wholly before the cutoff that hold no line of a
    held person."""
    if table not in PARTITIONED_TABLES or not is_partitioned(session, table):
        return []
    names = session.scalars(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :t ORDER BY c.relname"
        ),
        {"t": table},
    ).all()
    found = []
    for name in names:
        month = _partition_month(table, name)
        if month is None or datetime.combine(next_month(month), datetime.min.time(), UTC) > cutoff:
            continue
        # Names come from the catalogue and match partition_name(table, month) exactly (checked above).
        held = session.execute(
            text(
                f"SELECT 1 FROM {name} WHERE person_id IN "  # noqa: S608
                "(SELECT id FROM people WHERE litigation_hold) LIMIT 1"
            )
        ).first()
        if held is None:
            rows = session.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()  # noqa: S608
            found.append(Partition(name, month, int(rows)))
    return found


def drop_partition(session: Session, table: str, partition: Partition) -> None:
    if partition_name(table, partition.month) != partition.name:
        raise ValueError(f"{partition.name} is not a monthly partition of {table}")
    session.execute(text(f"DROP TABLE {partition.name}"))


def _partition_month(table: str, name: str) -> date | None:
    try:
        month = datetime.strptime(name.removeprefix(f"{table}_p"), "%Y_%m").date()
    except ValueError:
        return None
    return month if partition_name(table, month) == name else None


def _as_datetime(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time(), UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
