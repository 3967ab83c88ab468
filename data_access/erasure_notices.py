"""Writes of an erasure's follow-through: a recipient's notice (one row per erasure and recipient,
updated as the answer comes in) and the removal of the requester's contact once completion is
confirmed. Flush only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.erasure import ERASED_MARK
from data_access.models import ErasureRecipientNotice, SubjectRequest, SubjectRequestEvent

NOTICE_FIELDS = ("sent_at", "channel", "answer", "answered_at", "exemption")


def save_notice(
    *, session: Session, request_id: int, recipient_id: int, values: dict[str, Any], recorded_by: str
) -> tuple[ErasureRecipientNotice, dict[str, Any] | None]:
    """Insert or update the notice; returns it and the values it had before (None when new)."""
    notice = session.scalar(
        select(ErasureRecipientNotice).where(
            ErasureRecipientNotice.request_id == request_id,
            ErasureRecipientNotice.recipient_id == recipient_id,
        )
    )
    before = None if notice is None else {f: getattr(notice, f) for f in NOTICE_FIELDS}
    if notice is None:
        notice = ErasureRecipientNotice(
            request_id=request_id, recipient_id=recipient_id, recorded_by=recorded_by
        )
        session.add(notice)
    for name in NOTICE_FIELDS:
        setattr(notice, name, values.get(name))
    notice.recorded_by = recorded_by
    session.flush()
    return notice, before


def remove_requester_contact(
    *, session: Session, request_id: int, actor: str, note: str, at: datetime
) -> int:
    """Record the completion confirmation on the request's timeline and remove the contact it was kept for."""
    session.add(
        SubjectRequestEvent(request_id=request_id, actor=actor, kind="completion_confirmed", note=note, at=at)
    )
    statement = (
        update(SubjectRequest)
        .where(SubjectRequest.id == request_id)
        .values(
            requester_name=ERASED_MARK,
            requester_email=None,
            requester_phone=None,
            version=SubjectRequest.version + 1,
        )
    )
    removed = session.execute(statement, execution_options={"synchronize_session": False}).rowcount  # type: ignore[attr-defined]
    session.flush()
    return int(removed or 0)
