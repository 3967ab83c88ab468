"""Reads of the incident register: the register, the people affected per place, the list of people and the
mail-merge rows. Counts are computed in the database (GROUP BY), never by loading the people."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from data_access.gateway import MAX_ROWS, read_df
from data_access.models import BillingProfile, Contact, IncidentPerson, Person, SecurityIncident


def incident_register(*, session: Session) -> pd.DataFrame:
    """Every incident, newest awareness first, with how many people it affects and how many were told."""
    i, ip = SecurityIncident, IncidentPerson
    affected = select(func.count()).where(ip.incident_id == i.id).scalar_subquery()
    notified = (
        select(func.count()).where(ip.incident_id == i.id, ip.notified_at.is_not(None)).scalar_subquery()
    )
    return read_df(
        session,
        select(
            i.id,
            i.reference,
            cast(i.status, String(32)).label("status"),
            cast(i.risk, String(32)).label("risk"),
            i.aware_at,
            affected.label("people_affected"),
            notified.label("people_notified"),
            i.owner,
            i.description,
            i.systems,
            i.categories,
            i.risk_reasoning,
            i.containment,
            i.authority_notices,
            i.delay_reason,
            i.detected_at,
            i.updated_at,
        ).order_by(i.aware_at.desc()),
    )


def incident_residents(*, session: Session) -> pd.DataFrame:
    """Per incident and place (country, US state): people affected, told, and the last notice sent."""
    ip = IncidentPerson
    return read_df(
        session,
        select(
            ip.incident_id,
            Person.country,
            Person.region,
            func.count().label("affected"),
            func.sum(case((ip.notified_at.is_not(None), 1), else_=0)).label("notified"),
            func.max(ip.notified_at).label("last_notified_at"),
        )
        .join(Person, Person.id == ip.person_id)
        .group_by(ip.incident_id, Person.country, Person.region)
        .order_by(ip.incident_id, Person.country, Person.region),
    )


def affected_people(*, session: Session, incident_id: int, limit: int = MAX_ROWS) -> pd.DataFrame:
    """The people of one incident with their contact details and the notice sent (managers only)."""
    ip = IncidentPerson
    return read_df(
        session,
        select(
            ip.person_id,
            Contact.full_name,
            Contact.email,
            Contact.phone,
            Person.country,
            Person.region,
            ip.notified_at,
            ip.channel,
        )
        .join(Person, Person.id == ip.person_id)
        .join(Contact, Contact.person_id == ip.person_id, isouter=True)
        .where(ip.incident_id == incident_id)
        .order_by(ip.person_id)
        .limit(limit),
        limit=limit,
    )


def mail_merge_rows(*, session: Session, incident_id: int, limit: int = 1_000_000) -> pd.DataFrame:
    """People of one incident not told yet, with what a letter or an email needs (a mail merge)."""
    ip, i, b = IncidentPerson, SecurityIncident, BillingProfile
    return read_df(
        session,
        select(
            i.reference,
            ip.person_id,
            Contact.full_name,
            Contact.email,
            Contact.phone,
            b.address_line,
            b.city,
            b.postal_code,
            Person.country,
            Person.region,
        )
        .join(i, i.id == ip.incident_id)
        .join(Person, Person.id == ip.person_id)
        .join(Contact, Contact.person_id == ip.person_id, isouter=True)
        .join(b, b.person_id == ip.person_id, isouter=True)
        .where(ip.incident_id == incident_id, ip.notified_at.is_(None))
        .order_by(ip.person_id)
        .limit(limit),
        limit=limit,
    )


def incident_id_for(*, session: Session, reference: str) -> int | None:
    return session.scalar(select(SecurityIncident.id).where(SecurityIncident.reference == reference))
