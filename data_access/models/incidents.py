"""Security incidents (personal data breaches) and the people each one affects.

Policy: 'We take reasonable measures to protect your information from unauthorized access, use, or
disclosure.' GDPR Art. 33(5): every breach is documented (facts, effects, remedial action), notified
or not.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base, str_enum
from data_access.models.enums import IncidentRisk, IncidentStatus
from data_access.types import BigIntPK, UTCDateTime, utcnow


class SecurityIncident(Base):
    """One incident: when it was detected and when we became aware of a breach (the legal clocks run from
    `aware_at`), what it touched, the risk assessment with its reasoning, containment and notices."""

    __tablename__ = "security_incidents"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    description: Mapped[str] = mapped_column(Text)
    systems: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk: Mapped[IncidentRisk] = mapped_column(str_enum(IncidentRisk))
    risk_reasoning: Mapped[str] = mapped_column(Text)
    containment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[IncidentStatus] = mapped_column(str_enum(IncidentStatus), default=IncidentStatus.OPEN)
    owner: Mapped[str] = mapped_column(String(100))
    # regime (gdpr, uk-gdpr, us-tx, ...) -> when its authority or state officer was notified (ISO 8601, UTC)
    authority_notices: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    delay_reason: Mapped[str | None] = mapped_column(Text)  # Art. 33(1): reasons when notified after 72 hours
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IncidentPerson(Base):
    """A person whose data the incident touched (fixed when it is recorded), and the notice sent to them."""

    __tablename__ = "incident_people"
    __table_args__ = (Index("ix_incident_people_incident_notified", "incident_id", "notified_at"),)

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("security_incidents.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(16))
