"""The recipients register as an import updates it (dashboard.services.recipient_register has the rules)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import Recipient


def recipient_by_name(session: Session, name: str) -> Recipient | None:
    return session.scalar(select(Recipient).where(Recipient.name == name))


def add_recipient(session: Session, recipient: Recipient) -> None:
    session.add(recipient)
    session.flush()
