"""The incident register on SQLite and PostgreSQL: people affected computed from the systems and
categories via the data map, every change audited, refusals naming the field and writing nothing,
notices and the two checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.checks.base import CheckContext
from dashboard.checks.incidents import breach_notices_on_time, incidents_documented
from dashboard.services.incident_clocks import incident_clocks
from dashboard.services.incident_register import (
    IncidentInput,
    IncidentInputError,
    affected_fields,
    record_authority_notice,
    record_incident,
    record_people_notice,
    update_incident,
)
from data_access.incidents import add_incident
from data_access.models import AuditEntry, IncidentPerson, Person, SecurityIncident
from data_access.queries.incidents import affected_people, incident_register, mail_merge_rows
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", "manager")  # type: ignore[arg-type]
AUDITOR = Principal("auditor", "Avery Auditor", "auditor")  # type: ignore[arg-type]
AWARE = datetime(2026, 10, 2, 18, 0, tzinfo=UTC)  # a Friday evening
NOW = AWARE + timedelta(days=10)


def _entry(**changes: object) -> IncidentInput:
    base = IncidentInput(
        detected_at=AWARE - timedelta(hours=2),
        aware_at=AWARE,
        description="Mailing list export left in a public bucket",
        systems=("billing platform database",),
        categories=("user.contact.email",),
        risk="risk",
        risk_reasoning="Emails only; no passwords or card data",
        containment="Bucket made private",
        owner="Morgan Manager",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def people(session: Session) -> dict[str, int]:
    ids = {
        "de": make_person(session, country="DE", region=None).id,
        "gb": make_person(session, country="GB", region=None).id,
        "tx": make_person(session, country="US", region="TX").id,
    }
    bare = Person(
        external_ref="NOCONTACT",
        username="no.contact",
        country="US",
        region="CA",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    session.add(bare)
    session.commit()
    ids["no_contact"] = bare.id
    return ids


def test_people_affected_are_those_with_data_of_the_categories_in_the_systems(
    session: Session, people: dict[str, int]
) -> None:
    incident = record_incident(session=session, principal=MANAGER, entry=_entry(), now=NOW)
    session.commit()
    affected = set(
        session.scalars(select(IncidentPerson.person_id).where(IncidentPerson.incident_id == incident.id))
    )
    assert affected == {people["de"], people["gb"], people["tx"]}  # the person without contact details is not
    assert incident.reference == f"INC-2026-{incident.id:03d}"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "incident.record")).one()
    assert entry.details["people_affected"] == 3 and entry.object_id == str(incident.id)


def test_a_whole_system_without_categories_affects_everyone_in_it(
    session: Session, people: dict[str, int]
) -> None:
    incident = record_incident(session=session, principal=MANAGER, entry=_entry(categories=()), now=NOW)
    session.commit()
    register = incident_register(session=session)
    assert int(register.loc[register["id"] == incident.id, "people_affected"].iloc[0]) == 4
    assert ("people", "username") in affected_fields(("billing platform database",), ())


def test_a_person_without_a_value_in_the_fields_is_not_affected(
    session: Session, people: dict[str, int]
) -> None:
    with_phone = make_person(session, phone="+1 415 555 0100")
    session.commit()
    incident = record_incident(
        session=session, principal=MANAGER, now=NOW, entry=_entry(categories=("user.contact.phone_number",))
    )
    session.commit()
    affected = set(
        session.scalars(select(IncidentPerson.person_id).where(IncidentPerson.incident_id == incident.id))
    )
    assert affected == {with_phone.id}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"aware_at": datetime(2026, 10, 2, 18)}, "aware_at"),
        ({"aware_at": AWARE - timedelta(hours=3)}, "aware_at"),
        ({"detected_at": NOW + timedelta(days=1), "aware_at": NOW + timedelta(days=1)}, "detected_at"),
        ({"risk_reasoning": "  "}, "risk_reasoning"),
        ({"categories": ("user.not_a_category",)}, "categories"),
        ({"systems": ("a spreadsheet",)}, "systems"),
        ({"systems": (), "categories": ()}, "systems"),
        ({"risk": "severe"}, "risk"),
    ],
)
def test_a_refused_incident_names_the_field_and_writes_nothing(
    session: Session, people: dict[str, int], changes: dict[str, object], field: str
) -> None:
    with pytest.raises(IncidentInputError) as refused:
        record_incident(session=session, principal=MANAGER, entry=_entry(**changes), now=NOW)
    session.rollback()
    assert refused.value.field == field
    assert session.scalar(select(func.count()).select_from(SecurityIncident)) == 0


def test_only_a_manager_records_an_incident(session: Session, people: dict[str, int]) -> None:
    with pytest.raises(AccessDenied):
        record_incident(session=session, principal=AUDITOR, entry=_entry(), now=NOW)


def test_the_72_hours_run_out_and_a_late_notice_needs_its_reasons(
    session: Session, people: dict[str, int]
) -> None:
    incident = record_incident(session=session, principal=MANAGER, entry=_entry(), now=NOW)
    session.commit()
    context = CheckContext(NOW, "UTC")
    overdue = breach_notices_on_time(session, context)
    assert set(overdue["regime"]) == {"gdpr", "uk-gdpr"} and set(overdue["status"]) == {"overdue"}
    late = AWARE + timedelta(hours=80)
    with pytest.raises(IncidentInputError) as refused:
        record_authority_notice(
            session=session, principal=MANAGER, incident_id=incident.id, regime="gdpr", at=late, now=NOW
        )
    assert refused.value.field == "delay_reason"
    session.rollback()
    for regime in ("gdpr", "uk-gdpr"):
        record_authority_notice(
            session=session,
            principal=MANAGER,
            incident_id=incident.id,
            regime=regime,
            at=late,
            delay_reason="Scope unknown until the bucket logs were restored",
            now=NOW,
        )
    session.commit()
    assert breach_notices_on_time(session, context).empty  # late with reasons; people: risk, not high risk
    clocks = incident_clocks(session=session, now=NOW, tz="UTC").set_index(["regime", "party"])
    assert clocks.loc[("gdpr", "supervisory authority"), "status"] == "done late"
    assert clocks.loc[("us-tx", "residents affected"), "status"] == "open"
    assert clocks.loc[("us-tx", "residents affected"), "hours_left"] == pytest.approx(
        (50 * 24) + 6 - 1 / 60 / 60, 0.01
    )


def test_notices_to_people_are_recorded_with_channel_and_leave_the_mail_merge_empty(
    session: Session, people: dict[str, int]
) -> None:
    incident = record_incident(session=session, principal=MANAGER, entry=_entry(risk="high_risk"), now=NOW)
    session.commit()
    merge = mail_merge_rows(session=session, incident_id=incident.id)
    assert len(merge) == 3 and {"email", "address_line", "reference"} <= set(merge.columns)
    told = record_people_notice(
        session=session,
        principal=MANAGER,
        incident_id=incident.id,
        at=AWARE + timedelta(days=2),
        channel="email",
        now=NOW,
    )
    session.commit()
    assert told == 3 and mail_merge_rows(session=session, incident_id=incident.id).empty
    listed = affected_people(session=session, incident_id=incident.id)
    assert set(listed["channel"]) == {"email"} and listed["notified_at"].notna().all()
    clocks = incident_clocks(session=session, now=NOW, tz="UTC").set_index(["regime", "party"])
    assert clocks.loc[("gdpr", "people affected"), "status"] == "done"
    assert clocks.loc[("us-tx", "residents affected"), "status"] == "done on time"
    with pytest.raises(IncidentInputError) as refused:
        record_people_notice(
            session=session,
            principal=MANAGER,
            incident_id=incident.id,
            at=NOW + timedelta(days=1),
            channel="email",
            now=NOW,
        )
    assert refused.value.field == "notified_at"


def test_every_change_is_audited_and_closing_needs_the_containment(
    session: Session, people: dict[str, int]
) -> None:
    incident = record_incident(session=session, principal=MANAGER, entry=_entry(containment=""), now=NOW)
    session.commit()
    with pytest.raises(IncidentInputError) as refused:
        update_incident(
            session=session,
            principal=MANAGER,
            incident_id=incident.id,
            status="closed",
            risk="risk",
            risk_reasoning="same",
            containment="",
            owner="Morgan Manager",
        )
    assert refused.value.field == "containment"
    session.rollback()
    update_incident(
        session=session,
        principal=MANAGER,
        incident_id=incident.id,
        status="contained",
        risk="high_risk",
        risk_reasoning="Passwords were in the export too",
        containment="Keys rotated",
        owner="Morgan Manager",
    )
    session.commit()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "incident.update")).one()
    assert entry.details["changed"] == ["containment", "risk", "risk_reasoning", "status"]


def test_the_documented_check_lists_an_incident_closed_without_containment(
    session: Session, people: dict[str, int]
) -> None:
    add_incident(
        session,
        {
            "detected_at": AWARE,
            "aware_at": AWARE,
            "description": "Imported from the old log",
            "systems": ["billing platform database"],
            "categories": [],
            "risk": "unlikely",
            "risk_reasoning": "Encrypted laptop",
            "containment": None,
            "status": "closed",
            "owner": "IT",
            "authority_notices": {},
            "recorded_by": "import",
        },
    )
    session.commit()
    found = incidents_documented(session, CheckContext(NOW, "UTC"))
    assert list(found["missing"]) == ["containment"]
