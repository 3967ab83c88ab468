"""Reads for an erasure's follow-through: the erasures done, the recipients each must be told of, the notices
recorded, and what is left of an erased person.

An erasure is a deletion request with a fulfilment event (dashboard.fulfilment.erasure writes it); its
time is that event's. Recipients are those of the person's sharing records up to the erasure: the person row
stays as a tombstone, so sharing_record_people still names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Row, String, Table, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from data_access.erasure import ERASED_MARK
from data_access.gateway import MAX_ROWS, read_df
from data_access.models import (
    Base,
    ErasureRecipientNotice,
    Recipient,
    RetentionHold,
    SharingRecord,
    SharingRecordPerson,
    SubjectRequest,
    SubjectRequestEvent,
)
from data_access.models.enums import RequestType


@dataclass(frozen=True)
class Erasure:
    request_id: int
    reference: str
    person_id: int | None
    erased_at: datetime
    contact_kept: bool  # the requester's contact is still on the request


def _erasures():  # type: ignore[no-untyped-def]
    r, e = SubjectRequest, SubjectRequestEvent
    return (
        select(r.id.label("request_id"), r.reference, r.person_id, func.min(e.at).label("erased_at"))
        .join(e, and_(e.request_id == r.id, e.kind == "fulfilment"))
        .where(r.request_type == RequestType.DELETION)
        .group_by(r.id, r.reference, r.person_id)
    )


def erasure_of_request(*, session: Session, request_id: int) -> Erasure | None:
    row = session.execute(_erasures().where(SubjectRequest.id == request_id)).one_or_none()
    return None if row is None else _erasure(session, row)


def erasure_of_person(*, session: Session, person_id: int) -> Erasure | None:
    """The person's latest erasure, if they were erased."""
    row = session.execute(
        _erasures()
        .where(SubjectRequest.person_id == person_id)
        .order_by(func.min(SubjectRequestEvent.at).desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else _erasure(session, row)


def _erasure(session: Session, row: Row[Any]) -> Erasure:
    r = SubjectRequest
    kept = session.execute(select(r.requester_email, r.requester_phone).where(r.id == row.request_id)).one()
    return Erasure(
        row.request_id, row.reference, row.person_id, row.erased_at, any(v is not None for v in kept)
    )


def recipients_to_notify(*, session: Session, request_id: int) -> pd.DataFrame:
    """One row per recipient of the person's data before the erasure, with the notice recorded, if any."""
    erased = _erasures().where(SubjectRequest.id == request_id).subquery()
    s, sp, n = SharingRecord, SharingRecordPerson, ErasureRecipientNotice
    shared = (
        select(
            s.recipient_id,
            func.count().label("sharing_records"),
            func.min(s.shared_at).label("first_shared"),
            func.max(s.shared_at).label("last_shared"),
        )
        .join(sp, sp.sharing_record_id == s.id)
        .join(erased, erased.c.person_id == sp.person_id)
        .where(s.shared_at <= erased.c.erased_at)
        .group_by(s.recipient_id)
        .subquery()
    )
    return read_df(
        session,
        select(
            Recipient.id.label("recipient_id"),
            Recipient.name.label("recipient"),
            cast(Recipient.role, String(32)).label("role"),
            Recipient.country,
            shared.c.sharing_records,
            shared.c.first_shared,
            shared.c.last_shared,
            n.sent_at,
            n.channel,
            n.answer,
            n.answered_at,
            n.exemption,
            n.recorded_by,
        )
        .join(shared, shared.c.recipient_id == Recipient.id)
        .outerjoin(n, and_(n.recipient_id == Recipient.id, n.request_id == request_id))
        .order_by(Recipient.name),
    )


def outstanding_notices(*, session: Session, erased_before: datetime, limit: int = MAX_ROWS) -> pd.DataFrame:
    """(erasure, recipient) pairs erased before `erased_before` with neither a notice sent nor a
    reason not to."""
    erased = _erasures().subquery()
    s, sp, n = SharingRecord, SharingRecordPerson, ErasureRecipientNotice
    return read_df(
        session,
        select(
            erased.c.reference,
            erased.c.erased_at,
            Recipient.name.label("recipient"),
            func.count().label("sharing_records"),
        )
        .select_from(erased)
        .join(sp, sp.person_id == erased.c.person_id)
        .join(s, and_(s.id == sp.sharing_record_id, s.shared_at <= erased.c.erased_at))
        .join(Recipient, Recipient.id == s.recipient_id)
        .outerjoin(n, and_(n.request_id == erased.c.request_id, n.recipient_id == Recipient.id))
        .where(erased.c.erased_at < erased_before, n.sent_at.is_(None), n.exemption.is_(None))
        .group_by(erased.c.reference, erased.c.erased_at, Recipient.name)
        .order_by(erased.c.erased_at, Recipient.name)
        .limit(limit),
        limit=limit,
    )


def contacts_kept(*, session: Session, erased_before: datetime, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Erasure requests erased before `erased_before` that still hold the requester's email or phone."""
    erased = _erasures().subquery()
    r = SubjectRequest
    return read_df(
        session,
        select(erased.c.reference, erased.c.erased_at)
        .join(r, r.id == erased.c.request_id)
        .where(
            erased.c.erased_at < erased_before,
            or_(r.requester_email.is_not(None), r.requester_phone.is_not(None)),
        )
        .order_by(erased.c.erased_at)
        .limit(limit),
        limit=limit,
    )


def _valued_columns(
    session: Session, table: Table, wanted: Sequence[str], where: ColumnElement[bool]
) -> tuple[int, set[str]]:
    """The rows `where` selects and which of the `wanted` columns hold a value in any of them: one
    aggregate."""
    present = [c for c in wanted if c in table.c]
    row = session.execute(select(func.count(), *(_valued(table.c[c]) for c in present)).where(where)).one()
    return int(row[0]), {c for c, n in zip(present, row[1:], strict=True) if n}


def _valued(column: ColumnElement[object]) -> ColumnElement[int]:
    """Rows where the column holds a value: not NULL and, for text, not the mark an erasure leaves."""
    if isinstance(column.type, String):
        return func.count(func.nullif(column, ERASED_MARK))
    return func.count(column)


def held_columns(
    *, session: Session, person_id: int, columns: Mapping[str, Sequence[str]]
) -> dict[str, tuple[int, set[str]]]:
    """For each table keyed by the person (people by id, others by person_id): its rows for the
    person and which of `columns` hold a value in any of them. One indexed aggregate per table."""
    held: dict[str, tuple[int, set[str]]] = {}
    for name, wanted in columns.items():
        table = Base.metadata.tables.get(name)
        key = "id" if name == "people" else "person_id"
        if table is None or key not in table.c:
            continue
        held[name] = _valued_columns(session, table, wanted, table.c[key] == person_id)
    return held


def held_records(
    *, session: Session, person_id: int, columns: Mapping[str, Sequence[str]]
) -> tuple[list[tuple[str, int, date, str]], dict[str, tuple[int, set[str]]]]:
    """Records kept under a retention hold by the person's erasure: (table, records, retain until, reason) per
    table and reason, and which of `columns` still hold a value in them."""
    h, r = RetentionHold, SubjectRequest
    holds = session.execute(
        select(h.table_name, func.count(), func.max(h.retain_until), h.reason)
        .join(r, r.id == h.subject_request_id)
        .where(r.person_id == person_id)
        .group_by(h.table_name, h.reason)
        .order_by(h.table_name)
    ).all()
    held: dict[str, tuple[int, set[str]]] = {}
    for name in {row[0] for row in holds}:
        table = Base.metadata.tables[name]
        ids = (
            select(h.record_id)
            .join(r, r.id == h.subject_request_id)
            .where(r.person_id == person_id, h.table_name == name)
        )
        held[name] = _valued_columns(session, table, columns.get(name, ()), table.c.id.in_(ids))
    return [(t, int(n), until, reason) for t, n, until, reason in holds], held
