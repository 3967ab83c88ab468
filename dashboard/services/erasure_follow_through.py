"""An erasure's follow-through: what is left of the person, the recipients to tell (GDPR Art. 19, CCPA
1798.105(c)(1)), and the requester's contact kept until the completion is confirmed (docs/erasure.md).

Writes check the role on the server, validate before writing and audit in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.inventory.data_map import load_data_map
from dashboard.rules.erasure_follow_through import (
    Hold,
    Remaining,
    left_after_erasure,
    notice_due,
    notice_state,
)
from dashboard.rules.field_error import FieldError
from data_access.db import after_commit
from data_access.erasure import scrub_after_erasure
from data_access.erasure_notices import remove_requester_contact, save_notice
from data_access.queries.erasure_follow_through import (
    Erasure,
    erasure_of_person,
    erasure_of_request,
    held_columns,
    held_records,
    recipients_to_notify,
)
from data_access.types import utcnow

CHANNELS = ("email", "portal", "api", "letter", "phone")
MAX_TEXT = 2000
COLUMNS_FIRST = (
    "recipient",
    "state",
    "notice_due",
    "sent_at",
    "channel",
    "answer",
    "answered_at",
    "exemption",
)


@dataclass(frozen=True)
class NoticeEntry:
    """What a manager records for one recipient: a notice sent (and its answer, when it came), or the reason a
    notice is impossible or would take disproportionate effort."""

    recipient_id: int
    sent_at: datetime | None = None
    channel: str | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    exemption: str | None = None

    def validate(self, erased_at: datetime) -> None:
        exemption, answer = (self.exemption or "").strip(), (self.answer or "").strip()
        if self.sent_at is None and not exemption:
            raise FieldError("sent_at", "give the date the notice was sent, or the reason it cannot be sent")
        if self.sent_at is not None and exemption:
            raise FieldError("exemption", "a notice was sent: leave the reason for not sending it empty")
        if self.sent_at is not None and self.channel not in CHANNELS:
            raise FieldError("channel", f"the channel must be one of {', '.join(CHANNELS)}")
        if self.sent_at is not None and self.sent_at.date() < erased_at.date():
            raise FieldError("sent_at", "the notice cannot be sent before the erasure")
        if self.answered_at is not None and (self.sent_at is None or self.answered_at < self.sent_at):
            raise FieldError("answered_at", "an answer comes after the notice was sent")
        if self.answered_at is not None and not answer:
            raise FieldError("answer", "say what the recipient answered")
        if len(answer) > MAX_TEXT or len(exemption) > MAX_TEXT:
            raise FieldError(
                "answer" if len(answer) > MAX_TEXT else "exemption", f"at most {MAX_TEXT} characters"
            )


def erasure_for_request(*, session: Session, request_id: int) -> Erasure | None:
    return erasure_of_request(session=session, request_id=request_id)


def recipients_with_state(*, session: Session, erasure: Erasure, now: datetime | None = None) -> pd.DataFrame:
    """The recipients to tell, each with its notice and its state (to send, overdue, sent, answered,
    exempt)."""
    now = now or utcnow()
    frame = recipients_to_notify(session=session, request_id=erasure.request_id)
    states = [
        notice_state(
            erased_at=erasure.erased_at,
            sent_at=_dt(r["sent_at"]),
            exemption=r["exemption"],
            answered_at=_dt(r["answered_at"]),
            now=now,
        ).value
        for r in frame.to_dict("records")
    ]
    frame = frame.assign(state=states, notice_due=notice_due(erasure.erased_at))
    return frame[[*COLUMNS_FIRST, *(c for c in frame.columns if c not in COLUMNS_FIRST)]]


def record_recipient_notice(
    *, session: Session, principal: Principal, request_id: int, entry: NoticeEntry
) -> None:
    require(principal.role, "request.fulfil")
    erasure = erasure_of_request(session=session, request_id=request_id)
    if erasure is None:
        raise FieldError(
            "request", "the request has not been erased: there is nothing to tell recipients yet"
        )
    recipients = recipients_to_notify(session=session, request_id=request_id)
    if entry.recipient_id not in set(recipients["recipient_id"]):
        raise FieldError(
            "recipient", "the person's data was not shared with this recipient before the erasure"
        )
    entry.validate(erasure.erased_at)
    values = {
        "sent_at": entry.sent_at,
        "channel": entry.channel if entry.sent_at else None,
        "answer": (entry.answer or "").strip() or None,
        "answered_at": entry.answered_at,
        "exemption": (entry.exemption or "").strip() or None,
    }
    notice, before = save_notice(
        session=session,
        request_id=request_id,
        recipient_id=entry.recipient_id,
        values=values,
        recorded_by=principal.username,
    )
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.erasure_notice",
        object_type="subject_request",
        object_id=request_id,
        details={
            "recipient_id": entry.recipient_id,
            "notice_id": notice.id,
            "before": _plain(before),
            "after": _plain(values),
        },
    )


def confirm_completion(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    channel: str,
    confirmed_at: datetime | None = None,
) -> None:
    """The requester was told the erasure is complete: record it, then remove the contact kept for it."""
    require(principal.role, "request.fulfil")
    erasure = erasure_of_request(session=session, request_id=request_id)
    if erasure is None:
        raise FieldError("request", "the request has not been erased yet")
    if not erasure.contact_kept:
        raise FieldError("request", "the completion was already confirmed and the contact removed")
    if channel not in CHANNELS:
        raise FieldError("channel", f"the channel must be one of {', '.join(CHANNELS)}")
    at = confirmed_at or utcnow()
    remove_requester_contact(
        session=session,
        request_id=request_id,
        actor=principal.username,
        at=at,
        note=f"completion confirmed to the requester by {channel}; their contact removed",
    )
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.completion_confirmed",
        object_type="subject_request",
        object_id=request_id,
        details={"channel": channel},
    )
    engine = (
        session.get_bind().engine
    )  # the removed contact leaves the files too, as the erasure's values did
    after_commit(session, lambda: scrub_after_erasure(engine, ["subject_requests"]))


@dataclass(frozen=True)
class WhatIsLeft:
    erasure: Erasure
    left: list[Remaining]


def what_is_left(*, session: Session, person_id: int) -> WhatIsLeft | None:
    """For an erased person: what is actually held of them and why; None when they were not erased."""
    erasure = erasure_of_person(session=session, person_id=person_id)
    if erasure is None:
        return None
    fields = load_data_map().fields
    columns: dict[str, list[str]] = {}
    for f in fields:
        columns.setdefault(f.table, []).append(f.column)
    held = held_columns(session=session, person_id=person_id, columns=columns)
    holds, kept = held_records(session=session, person_id=person_id, columns=columns)
    left = left_after_erasure(held={**held, **kept}, holds=[Hold(*h) for h in holds], fields=fields)
    return WhatIsLeft(erasure, left)


def _dt(value: Any) -> datetime | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def _plain(values: Mapping[str, object] | None) -> dict[str, object] | None:
    return (
        None
        if values is None
        else {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
    )
