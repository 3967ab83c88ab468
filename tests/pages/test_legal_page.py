"""The Legal page as manager: a request logged is in the picker at once; a review and a disclosure recorded
after the fact carry the times they happened; people marked notified leave "Notice now due" at once."""

from __future__ import annotations

from datetime import date, time, timedelta

import pandas as pd
from sqlalchemy import create_engine, select

from dashboard.ui.text import as_text
from data_access.models import LegalRequest
from data_access.models.enums import Role
from tests.pages.tabs import open_tab

PAGE = "pages/legal.py"


def _click(app, label: str) -> None:  # type: ignore[no-untyped-def]
    next(b for b in app.button if b.label == label).click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]


def _notices_due(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        str(r)
        for f in app.dataframe
        if {"reference", "person_id", "email"} <= set(f.value.columns)
        for r in f.value["reference"]
    }


def test_a_logged_request_is_reviewed_disclosed_backdated_and_notified(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "legal", "Log and progress")
    next(t for t in app.text_input if t.label == "Authority").input("Page-test court")
    next(t for t in app.text_input if t.label == "Jurisdiction").input("US-CA")
    received = date.today() - timedelta(days=10)
    next(d for d in app.date_input if d.label == "Received on").set_value(received)
    next(t for t in app.text_area if t.label == "Accounts specified (user ids)").input("5")
    _click(app, "Log request")
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        reference = connection.execute(
            select(LegalRequest.reference).where(LegalRequest.authority == "Page-test court")
        ).scalar_one()
    assert any(as_text(f"Logged {reference}") in s.value for s in app.success)  # Markdown source, escaped
    picker = next(s for s in app.selectbox if s.label == "Request")
    assert reference in picker.options  # the page reran after the write
    picker.set_value(reference)
    app.run()

    next(t for t in app.text_input if t.label == "Reviewer").input("Counsel")
    next(t for t in app.text_input if t.label.startswith("Legal basis")).input("CCP 1985")
    next(t for t in app.text_area if t.label == "Reason").input("valid subpoena")
    next(d for d in app.date_input if d.label == "Reviewed on").set_value(received + timedelta(days=1))
    next(t for t in app.time_input if t.label == "Reviewed at").set_value(time(9, 0))
    _click(app, "Record review")
    next(s for s in app.selectbox if s.label == "Outcome").set_value("some")
    next(m for m in app.multiselect if m.label == "Categories disclosed").set_value(["user.contact.email"])
    next(d for d in app.date_input if d.label == "Disclosed on").set_value(received + timedelta(days=2))
    next(t for t in app.time_input if t.label == "Disclosed at").set_value(time(14, 30))
    _click(app, "Record disclosure")
    with engine.connect() as connection:
        disclosed = connection.execute(
            select(LegalRequest.disclosed_at).where(LegalRequest.reference == reference)
        ).scalar_one()
    engine.dispose()
    assert str(disclosed).startswith(str(received + timedelta(days=2)))  # when it happened, not when recorded
    assert reference in _notices_due(open_tab(app, "legal", "Requests from authorities"))

    open_tab(app, "legal", "Log and progress")  # the picker is drawn afresh: the request is picked again
    next(s for s in app.selectbox if s.label == "Request").set_value(reference)
    app.run()
    _click(app, "Record that the people were notified today")
    assert any(as_text("1 person(s) marked as notified") in s.value for s in app.success)
    assert reference not in _notices_due(open_tab(app, "legal", "Requests from authorities"))


def _register(app) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return next(
        f.value for f in app.dataframe if {"reference", "authority", "request_type"} <= set(f.value.columns)
    )


def test_only_a_manager_sees_national_security_requests_one_by_one(app_for) -> None:  # type: ignore[no-untyped-def]
    """50 U.S.C. 1874: outside the manager's register (who answers them) national security process
    is known only in bands: an auditor's and an executive's register leave it out and say where it
    is reported."""
    manager = app_for(PAGE, Role.MANAGER).run()
    assert "national security" in set(_register(manager)["request_type"])
    for role in (Role.AUDITOR, Role.EXECUTIVE):
        app = app_for(PAGE, role).run()
        assert not app.exception
        assert "national security" not in set(_register(app)["request_type"]), role
        assert any("1874" in c.value and "bands" in c.value for c in app.caption), role
