"""The Security page for every role: managers see and work the register (record, notices, mail
merge); auditors see the register masked with its free text withheld and no list of people;
executives see counts only, no text written about an incident and no person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, select

from dashboard.ui.text import as_text
from data_access.models import Contact, SecurityIncident
from data_access.models.enums import Role
from tests.pages.tabs import each_tab, open_tab

PAGE = "pages/security.py"


@pytest.fixture(scope="module")
def incident_texts(demo_database_url: str) -> set[str]:
    """Every free text of the demo register: written by people, it may name anyone."""
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                SecurityIncident.description,
                SecurityIncident.risk_reasoning,
                SecurityIncident.containment,
                SecurityIncident.delay_reason,
            )
        ).all()
    engine.dispose()
    return {text for row in rows for text in row if text}


def _shown(app) -> str:  # type: ignore[no-untyped-def]
    parts = [frame.value.to_csv() for frame in app.dataframe] + [str(m.value) for m in app.metric]
    parts += [m.value for m in app.markdown] + [c.value for c in app.caption]
    return "\n".join(parts)


def _frame(app, column: str):  # type: ignore[no-untyped-def]
    return next((f.value for f in app.dataframe if column in f.value.columns), None)


def test_a_manager_sees_the_clocks_the_register_and_the_mail_merge(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.MANAGER).run()
    assert not app.exception and not app.error
    clocks = _frame(app, "time_left")
    assert {"EU GDPR", "UK GDPR"} & set(clocks["regime"])
    register = _frame(open_tab(app, "security", "Register"), "risk_reasoning")
    assert register["description"].str.contains("log viewer").any()
    people = _frame(open_tab(app, "security", "Notices"), "email")
    assert people is not None and people["email"].str.contains("@").all()
    assert any(b.label == "Download incident-mail-merge (XLSX)" for b in app.get("download_button"))
    assert {t.label for t in app.tabs} >= {"Record an incident", "Progress and notices"}


def test_a_manager_records_an_incident_and_its_people_are_computed(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "security", "Record an incident")
    yesterday = date.today() - timedelta(days=1)
    next(d for d in app.date_input if d.label == "Detected on").set_value(yesterday)
    next(d for d in app.date_input if d.label == "Became aware on").set_value(yesterday)
    next(t for t in app.text_area if t.label == "Description (what happened)").input(
        "Page-test phone list leak"
    )
    next(m for m in app.multiselect if m.label == "Systems affected").set_value(["billing platform database"])
    next(m for m in app.multiselect if m.label == "Data categories affected").set_value(
        ["user.contact.phone_number"]
    )
    next(s for s in app.selectbox if s.label == "Risk to people").set_value("high_risk")
    next(t for t in app.text_area if t.label == "Reasoning for the risk assessment").input(
        "Phones enable SIM swap"
    )
    next(b for b in app.button if b.label == "Record incident").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        reference = connection.execute(
            select(SecurityIncident.reference).where(
                SecurityIncident.description == "Page-test phone list leak"
            )
        ).scalar_one()
        with_phone = connection.execute(select(Contact.person_id).where(Contact.phone.is_not(None))).all()
    engine.dispose()
    assert any(as_text(f"Recorded {reference}") in s.value for s in app.success)  # Markdown source, escaped
    register = _frame(open_tab(app, "security", "Register"), "risk_reasoning").set_index("reference")
    assert int(register.loc[reference, "people_affected"]) == len(with_phone)


def test_an_auditor_sees_the_register_masked_and_no_list_of_people(app_for, incident_texts) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.AUDITOR).run()
    assert not app.exception
    register = _frame(open_tab(app, "security", "Register"), "risk_reasoning")
    assert register["description"].str.startswith("[withheld:").all()
    for run in each_tab(app, "security"):
        assert not run.exception
        assert _frame(run, "email") is None and _frame(run, "full_name") is None
        text = _shown(run)
        assert not [t for t in incident_texts if t in text]
        assert not [b for b in run.button if b.label == "Record incident"]


def test_an_executive_sees_counts_only(app_for, incident_texts) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.EXECUTIVE).run()
    assert not app.exception
    summary = _frame(open_tab(app, "security", "Register"), "incidents")
    assert summary is not None and set(summary.columns) == {
        "status",
        "risk",
        "incidents",
        "people_affected",
        "people_notified",
    }
    for run in each_tab(app, "security"):
        assert not run.exception
        assert _frame(run, "description") is None and _frame(run, "person_id") is None
        text = _shown(run)
        assert not [t for t in incident_texts if t in text]
    assert "Record an incident" not in {t.label for t in app.tabs}
