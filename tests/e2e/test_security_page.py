"""Real browser, as manager, on SQLite and PostgreSQL: an incident recorded on the Security page is
stored with its people computed, shows in the register at once, and its notice to people is recorded
with the channel."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data_access.models import IncidentPerson, SecurityIncident
from tests.e2e.test_manager_forms import WAIT, _open, _pick, _scalar
from tests.e2e.test_request_flow import choose, settled

pytestmark = pytest.mark.browser


def test_a_manager_records_an_incident_and_the_notice_to_its_people(browser, written_app) -> None:  # type: ignore[no-untyped-def]
    base, url = written_app
    description = "Browser-test export of emails left in a shared folder"
    page = _open(browser, base, "Security", "Record an incident")
    page.get_by_role("textbox", name="Description (what happened)").fill(description)
    _pick(page, "Systems affected", ["billing platform database"])
    _pick(page, "Data categories affected", ["user.contact.email"])
    choose(page, "Risk to people", "high risk")
    page.get_by_role("textbox", name="Reasoning for the risk assessment").fill("Emails with account names")
    page.get_by_role("button", name="Record incident").click()
    page.get_by_text("Recorded INC-").wait_for(timeout=WAIT)
    incident = _scalar(url, select(SecurityIncident.id).where(SecurityIncident.description == description))
    people = _scalar(url, select(func.count()).where(IncidentPerson.incident_id == incident))
    assert incident is not None and people > 0
    reference = _scalar(url, select(SecurityIncident.reference).where(SecurityIncident.id == incident))

    page.get_by_role("tab", name="Progress and notices").click()
    settled(page)
    choose(page, "Incident", reference)
    settled(page)
    choose(page, "Channel", "post")
    page.get_by_role("button", name="Record notice to people").click()
    page.get_by_text(f"{people} person(s) recorded as told.").wait_for(timeout=WAIT)
    told = _scalar(
        url,
        select(func.count()).where(
            IncidentPerson.incident_id == incident,
            IncidentPerson.channel == "post",
            IncidentPerson.notified_at.is_not(None),
        ),
    )
    assert told == people
    page.close()
