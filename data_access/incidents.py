"""Writes of the incident register: the incident, the people it affects (computed in the database
from the tables it touched) and the notices sent to them. The service
(dashboard.services.incident_register) validates and audits; these only write, inside the caller's
transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, literal, select, union, update
from sqlalchemy.orm import Session

from data_access.models import ActivityDaily, Base, IncidentPerson, Person, SecurityIncident
from data_access.models.enums import AccountStatus

# Tables whose people are found in a smaller stand-in (the per-person rollup), not in raw log lines.
ROLLUP_FOR = {"access_log": ActivityDaily.requests, "usage_events": ActivityDaily.events}


def add_incident(session: Session, values: dict[str, Any]) -> SecurityIncident:
    incident = SecurityIncident(reference=f"pending-{datetime.now().timestamp()}", **values)
    session.add(incident)
    session.flush()
    incident.reference = f"INC-{incident.aware_at:%Y}-{incident.id:03d}"
    session.flush()
    return incident


def get_incident(session: Session, incident_id: int) -> SecurityIncident | None:
    return session.get(SecurityIncident, incident_id)


def _people_of(table: str, column: str) -> Select[Any] | None:
    """The people with a value in `table`.`column` (a row whose value is empty exposes nothing of it)."""
    if table in ROLLUP_FOR:
        return select(ActivityDaily.person_id.label("person_id")).where(ROLLUP_FOR[table] > 0)
    if table not in Base.metadata.tables:
        return None
    columns = Base.metadata.tables[table].columns
    if table == "people":
        held = [columns[column].is_not(None)] if column in columns else []
        return select(Person.id.label("person_id")).where(Person.status != AccountStatus.ANONYMISED, *held)
    if "person_id" not in columns:
        return None
    held = [columns[column].is_not(None)] if column in columns else []
    return select(columns["person_id"].label("person_id")).where(columns["person_id"].is_not(None), *held)


def insert_affected_people(session: Session, incident_id: int, fields: Sequence[tuple[str, str]]) -> int:
    """Everyone with a value in any of `fields` (table, column), once, as people of the incident (one
    INSERT ... SELECT)."""
    selects = [s for s in (_people_of(t, c) for t, c in sorted(set(fields))) if s is not None]
    if not selects:
        return 0
    people = union(*selects).subquery()
    session.execute(
        insert(IncidentPerson).from_select(
            ["incident_id", "person_id"], select(literal(incident_id), people.c.person_id)
        )
    )
    # counted, not rowcount: psycopg reports -1 for an INSERT ... SELECT run through the ORM session
    return int(session.scalar(select(func.count()).where(IncidentPerson.incident_id == incident_id)) or 0)


def mark_people_notified(session: Session, incident_id: int, at: datetime, channel: str) -> int:
    """Every person of the incident not told yet is told now, by `channel`; returns how many."""
    result = session.execute(
        update(IncidentPerson)
        .where(IncidentPerson.incident_id == incident_id, IncidentPerson.notified_at.is_(None))
        .values(notified_at=at, channel=channel)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mark_person_notified(
    session: Session, incident_id: int, person_id: int, at: datetime, channel: str
) -> bool:
    """One person told (an imported notice); False when the person is not one of the incident's."""
    result = session.execute(
        update(IncidentPerson)
        .where(IncidentPerson.incident_id == incident_id, IncidentPerson.person_id == person_id)
        .values(notified_at=at, channel=channel)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
