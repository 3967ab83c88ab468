"""Notices of an erasure sent to the recipients the person's data went to (GDPR Art. 19, CCPA 1798.105(c)(1)).

One row per (erasure request, recipient): when and how the recipient was told, its answer, or why telling it
was impossible or would take disproportionate effort (Art. 19's exception, which must be recorded to
be relied on).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base
from data_access.types import BigIntPK, UTCDateTime, utcnow


class ErasureRecipientNotice(Base):
    __tablename__ = "erasure_recipient_notices"
    __table_args__ = (
        UniqueConstraint("request_id", "recipient_id", name="uq_erasure_notice_request_recipient"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("subject_requests.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id"), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None when not sent for `exemption`
    channel: Mapped[str | None] = mapped_column(String(32))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exemption: Mapped[str | None] = mapped_column(Text)  # why notice was impossible or disproportionate
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
