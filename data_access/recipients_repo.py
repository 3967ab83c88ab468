"""The recipients register as an import updates it (dashboard.services.recipient_register has the rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import Recipient


def recipient_by_name(session: Session, name: str) -> Recipient | None:
    return session.scalar(select(Recipient).where(Recipient.name == name))


def set_recipient_values(session: Session, recipient: Recipient, values: dict[str, Any]) -> None:
    for field, value in values.items():
        setattr(recipient, field, value)
    session.flush()


def add_recipient(session: Session, recipient: Recipient) -> None:
    session.add(recipient)
    session.flush()
