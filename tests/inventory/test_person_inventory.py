"""The per-person inventory on SQLite and PostgreSQL, for people with and without each kind of data; the ROPA
field by field; `compliance inventory` prints the same inventory."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from dashboard.cli.main import app
from dashboard.demo.generate import load_demo
from dashboard.inventory.data_map_view import data_map_table, ropa
from dashboard.inventory.sections import held_categories
from data_access.db import session_factory
from data_access.models import AccessLogEntry, BillingProfile, Consent, Message, UsageEvent
from data_access.queries.person_inventory import SECTION_TABLES, person_inventory
from tests.conftest import DEMO_END
from tests.factories import make_person

AT = datetime(2026, 10, 1, 9, tzinfo=UTC)


def test_a_person_with_only_an_account_and_contact_has_every_other_section_empty(session: Session) -> None:
    person = make_person(session, email="bare@example.com")
    inventory = person_inventory(session=session, person_id=person.id)
    assert inventory is not None and set(inventory.sections) == set(SECTION_TABLES)
    filled = {name for name, rows in inventory.sections.items() if rows}
    assert filled == {"account", "contact"}
    assert "user.contact.email" in held_categories(
        inventory
    ) and "user.device.ip_address" not in held_categories(inventory)
    assert person_inventory(session=session, person_id=987_654) is None


def test_each_kind_of_data_appears_in_its_section(session: Session) -> None:
    person = make_person(session, phone="+1 555 0100", google_id="g-42")
    session.add_all(
        [
            BillingProfile(
                person_id=person.id,
                card_brand="visa",
                card_last4="4242",
                address_line="1 Main St",
                city="Town",
                postal_code="12345",
                country="US",
            ),
            AccessLogEntry(
                ts=AT, client="203.0.113.9", user_agent="Firefox", person_id=person.id, line_key="x1"
            ),
            AccessLogEntry(
                ts=AT.replace(day=3),
                client="203.0.113.10",
                user_agent="Firefox",
                person_id=person.id,
                line_key="x2",
            ),
            UsageEvent(
                ts=AT, person_id=person.id, session_id="s1", feature="invoices", action="view", event_key="e1"
            ),
            Message(person_id=person.id, channel="email", kind="promotional", campaign="n", sent_at=AT),
            Consent(person_id=person.id, scope="sharing:feedback", reference="C-9", given_at=AT),
        ]
    )
    session.flush()
    inventory = person_inventory(session=session, person_id=person.id)
    assert inventory is not None
    web = inventory.sections["web_activity"][0]
    assert (web["requests"], web["ip_addresses"], web["user_agents"]) == (
        2,
        ["203.0.113.10", "203.0.113.9"],
        ["Firefox"],
    )
    assert inventory.sections["identifiers"][0]["value"] == "g-42"
    assert inventory.sections["product_usage"][0]["feature"] == "invoices"
    assert inventory.sections["billing_profile"][0]["card_last4"] == "4242"
    assert {"user.unique_id.google_id", "user.device.user_agent", "user.financial.credit_card"} <= set(
        held_categories(inventory)
    )


@pytest.fixture
def demo(engine: Engine) -> Engine:
    load_demo(engine, users=120, days=60, seed=2, end=DEMO_END)
    return engine


def test_the_ropa_has_every_article_30_field_for_every_purpose(demo: Engine) -> None:
    with session_factory(demo)() as session:
        record = ropa(session=session)
        table = data_map_table(session=session)
    assert set(record["purpose"]) == set(table["purpose"])
    required = [
        "controller",
        "controller_contact",
        "purpose",
        "legal_basis",
        "data_subject_categories",
        "personal_data_categories",
        "recipients",
        "third_country_transfers",
        "retention",
        "security_measures",
    ]
    assert list(record.columns[: len(required)]) == required
    assert (record[required].astype(str).map(len) > 0).all().all()
    notifications = record[record["purpose"] == "essential.service.notifications.email"].iloc[0]
    assert "user.contact.email" in notifications["personal_data_categories"]
    assert "Stackline Email Platform" in notifications["recipients"]
    assert record.iloc[0]["controller_contact"] == "info@interfacebilling.com"


def test_the_cli_prints_the_same_inventory_as_json(demo: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", demo.url.render_as_string(hide_password=False))
    with session_factory(demo)() as session:
        expected = person_inventory(session=session, person_id=1)
    result = CliRunner().invoke(app, ["inventory", "1"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert expected is not None and body["person_id"] == 1 and set(body["sections"]) == set(expected.sections)
    assert body["sections"]["contact"][0]["email"] == expected.sections["contact"][0]["email"]
    assert CliRunner().invoke(app, ["inventory", "nobody@nowhere.example"]).exit_code == 2
