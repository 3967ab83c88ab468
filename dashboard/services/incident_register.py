"""Recording a security incident and progressing it: assessment, containment, notices to authorities
and people.

Policy: 'We take reasonable measures to protect your information from unauthorized access, use, or
disclosure.' GDPR Art. 33(5): every breach is documented, so every change here is written to the
audit log, and the people affected are fixed when the incident is recorded (from the systems and
data categories it touched, through the data map), so that who had to be told does not drift as the
data changes later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.inventory.data_map import load_data_map
from dashboard.rules.breach_deadlines import RISKS, authority_late
from dashboard.rules.field_error import FieldError
from data_access.incidents import (
    add_incident,
    get_incident,
    insert_affected_people,
    mark_people_notified,
)
from data_access.models import SecurityIncident
from data_access.models.enums import IncidentRisk, IncidentStatus
from data_access.rows import set_values
from data_access.types import utcnow

CHANNELS = ("email", "post", "sms", "phone", "in_app")


class IncidentInputError(FieldError):
    """An incident entry or change that is refused; `field` names the form field."""


@dataclass(frozen=True)
class IncidentInput:
    detected_at: datetime
    aware_at: datetime
    description: str
    systems: tuple[str, ...]
    categories: tuple[str, ...]
    risk: str
    risk_reasoning: str
    containment: str
    owner: str


def known_systems() -> tuple[str, ...]:
    """The systems of the data map (its storage column), where personal data of customers is held."""
    return tuple(sorted({f.storage for f in load_data_map().fields if f.data_subjects == "customer"}))


def known_categories() -> tuple[str, ...]:
    return tuple(sorted({f.category for f in load_data_map().fields if f.data_subjects == "customer"}))


def affected_fields(systems: tuple[str, ...], categories: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(table, column) of customers' data of any of `categories` (or a narrower key) in any of
    `systems`, per the data map; an empty selection on one side means 'any'."""

    def in_category(key: str) -> bool:
        return not categories or any(key == c or key.startswith(f"{c}.") for c in categories)

    return tuple(
        sorted(
            {
                (f.table, f.column)
                for f in load_data_map().fields
                if f.data_subjects == "customer"
                and in_category(f.category)
                and (not systems or f.storage in systems)
            }
        )
    )


def check_incident(entry: IncidentInput, now: datetime | None = None) -> None:
    """Every rule record_incident applies, without writing; IncidentInputError naming the field."""
    now = now or utcnow()
    for name in ("detected_at", "aware_at"):
        moment: datetime = getattr(entry, name)
        if moment.tzinfo is None:
            raise IncidentInputError(name, "the time needs a time zone")
        if moment > now:
            raise IncidentInputError(name, "the time is in the future")
    if entry.aware_at < entry.detected_at:
        raise IncidentInputError(
            "aware_at", "we cannot become aware of a breach before the incident was detected"
        )
    for name in ("description", "risk_reasoning", "owner"):
        if not str(getattr(entry, name)).strip():
            raise IncidentInputError(name, f"the {name.replace('_', ' ')} is required (Art. 33(5))")
    if entry.risk not in RISKS:
        raise IncidentInputError("risk", f"one of {', '.join(RISKS)}")
    if not entry.systems and not entry.categories:
        raise IncidentInputError("systems", "name the systems or the data categories affected")
    if unknown := sorted(set(entry.systems) - set(known_systems())):
        raise IncidentInputError("systems", f"not a system of the data map: {', '.join(unknown)}")
    if unknown := sorted(set(entry.categories) - set(known_categories())):
        raise IncidentInputError("categories", f"not a data category of the data map: {', '.join(unknown)}")


def record_incident(
    *, session: Session, principal: Principal, entry: IncidentInput, now: datetime | None = None
) -> SecurityIncident:
    require(principal.role, "incident.record")
    check_incident(entry, now)
    incident = add_incident(
        session,
        {
            "detected_at": entry.detected_at,
            "aware_at": entry.aware_at,
            "description": entry.description.strip(),
            "systems": list(entry.systems),
            "categories": list(entry.categories),
            "risk": IncidentRisk(entry.risk),
            "risk_reasoning": entry.risk_reasoning.strip(),
            "containment": entry.containment.strip() or None,
            "owner": entry.owner.strip(),
            "authority_notices": {},
            "recorded_by": principal.username,
        },
    )
    affected = insert_affected_people(session, incident.id, affected_fields(entry.systems, entry.categories))
    _audit(
        session,
        principal,
        "incident.record",
        incident,
        {
            "risk": entry.risk,
            "systems": list(entry.systems),
            "categories": list(entry.categories),
            "people_affected": affected,
            "aware_at": entry.aware_at.astimezone(UTC).isoformat(),
        },
    )
    return incident


def update_incident(
    *,
    session: Session,
    principal: Principal,
    incident_id: int,
    status: str,
    risk: str,
    risk_reasoning: str,
    containment: str,
    owner: str,
) -> SecurityIncident:
    """A reassessment or progress: the fields changed are audited by name (their text stays in the
    register)."""
    require(principal.role, "incident.record")
    incident = _get(session, incident_id)
    if risk not in RISKS:
        raise IncidentInputError("risk", f"one of {', '.join(RISKS)}")
    if status not in {s.value for s in IncidentStatus}:
        raise IncidentInputError("status", f"one of {', '.join(s.value for s in IncidentStatus)}")
    if not risk_reasoning.strip() or not owner.strip():
        raise IncidentInputError("risk_reasoning" if not risk_reasoning.strip() else "owner", "required")
    if status != IncidentStatus.OPEN and not containment.strip():
        raise IncidentInputError("containment", "say how the incident was contained before marking it so")
    new = {
        "status": IncidentStatus(status),
        "risk": IncidentRisk(risk),
        "risk_reasoning": risk_reasoning.strip(),
        "containment": containment.strip() or None,
        "owner": owner.strip(),
    }
    changed = sorted(name for name, value in new.items() if getattr(incident, name) != value)
    set_values(session, incident, new)
    _audit(
        session, principal, "incident.update", incident, {"changed": changed, "status": status, "risk": risk}
    )
    return incident


def record_authority_notice(
    *,
    session: Session,
    principal: Principal,
    incident_id: int,
    regime: str,
    at: datetime,
    delay_reason: str = "",
    now: datetime | None = None,
) -> SecurityIncident:
    """The authority (or a state officer) of `regime` was notified at `at`; after the 72 hours the reasons for
    the delay are required (Art. 33(1))."""
    require(principal.role, "incident.record")
    incident = _get(session, incident_id)
    _check_notice_time(incident, at, now)
    late = regime in ("gdpr", "uk-gdpr") and authority_late(incident.aware_at, at)
    if late and not (delay_reason.strip() or incident.delay_reason):
        raise IncidentInputError("delay_reason", "notified after 72 hours: give the reasons for the delay")
    set_values(
        session,
        incident,
        {
            "authority_notices": {**incident.authority_notices, regime: at.astimezone(UTC).isoformat()},
            "delay_reason": delay_reason.strip() or incident.delay_reason,
        },
    )
    _audit(session, principal, "incident.authority_notice", incident, {"regime": regime, "late": late})
    return incident


def record_people_notice(
    *,
    session: Session,
    principal: Principal,
    incident_id: int,
    at: datetime,
    channel: str,
    now: datetime | None = None,
) -> int:
    """Everyone affected and not told yet was told at `at` by `channel`; returns how many."""
    require(principal.role, "incident.record")
    incident = _get(session, incident_id)
    if channel not in CHANNELS:
        raise IncidentInputError("channel", f"one of {', '.join(CHANNELS)}")
    _check_notice_time(incident, at, now)
    told = mark_people_notified(session, incident_id, at, channel)
    _audit(session, principal, "incident.people_notice", incident, {"people": told, "channel": channel})
    return told


def _check_notice_time(incident: SecurityIncident, at: datetime, now: datetime | None) -> None:
    if at.tzinfo is None:
        raise IncidentInputError("notified_at", "the time needs a time zone")
    if at > (now or utcnow()):
        raise IncidentInputError("notified_at", "the time of the notice is in the future")
    if at < incident.detected_at:
        raise IncidentInputError("notified_at", "the notice cannot precede the incident's detection")


def _get(session: Session, incident_id: int) -> SecurityIncident:
    incident = get_incident(session, incident_id)
    if incident is None:
        raise IncidentInputError("incident", f"no incident with id {incident_id}")
    return incident


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    incident: SecurityIncident,
    details: dict[str, object],
) -> None:
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=action,
        object_type="security_incident",
        object_id=incident.id,
        details={"reference": incident.reference, **details},
    )
