"""The Requests page per role: managers log, work and fulfil requests; auditors read masked; executives
see aggregates only."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from dashboard.ui.text import as_text
from data_access.models import SubjectRequest
from data_access.models.enums import Role
from tests.pages.tabs import open_tab

PAGE = "pages/requests.py"


def _columns(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {column for frame in app.dataframe for column in frame.value.columns}


def test_manager_logs_a_request_and_sees_its_deadline(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.MANAGER).run()
    assert not app.exception and not app.error
    assert [t.label for t in app.tabs] == ["Queue", "Request", "New request", "KPIs", "OpenDSR"]
    assert {"state", "days_left", "requester_email"} <= _columns(app)
    fields = {t.label: t for t in open_tab(app, "requests", "New request").text_input}
    fields["Requester's name"].input("Paula Page")
    fields["Requester's email"].input("paula.page@example.com")
    fields["Country (ISO code)"].input("FR")
    next(b for b in app.button if b.label == "Log request").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("answer due" in s.value and "EU GDPR" in s.value for s in app.success)
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            select(SubjectRequest.regime, SubjectRequest.status).where(
                SubjectRequest.requester_email == "paula.page@example.com"
            )
        ).one()
    engine.dispose()
    assert tuple(stored) == ("gdpr", "received")


def test_manager_is_told_which_intake_field_is_wrong(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "requests", "New request")
    fields = {t.label: t for t in app.text_input}
    fields["Requester's name"].input("Paula Page")
    fields["Requester's email"].input("not-an-email")
    next(b for b in app.button if b.label == "Log request").click()
    app.run()
    assert any(e.value.startswith("requester email:") for e in app.error)


def test_manager_moves_a_request_through_the_workflow(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "requests", "Request")
    status = next(s for s in app.selectbox if s.label == "New status")
    target = status.options[0].split(" · ")[0]
    status.select_index(0)
    next(b for b in app.button if b.label == "Apply").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(f"is now {as_text(target)}" in s.value for s in app.success)  # the Markdown source, escaped


def test_auditor_reads_masked_requests_and_has_no_actions(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.AUDITOR).run()
    assert not app.exception and not app.error
    assert "New request" not in [t.label for t in app.tabs]
    assert not [b for b in app.button if b.label in ("Apply", "Assign", "Erase", "Log request")]
    emails = [
        v
        for f in app.dataframe
        if "requester_email" in f.value.columns
        for v in f.value["requester_email"]
        if v
    ]
    assert emails and all("***" in v for v in emails)


def test_executive_sees_kpis_and_no_personal_data(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.EXECUTIVE).run()
    assert not app.exception and not app.error
    assert [m.label for m in app.metric] == ["Open requests", "Overdue", "Due within 7 days"]
    assert not {"requester_name", "requester_email", "reference", "person_id"} & _columns(app)
    assert "@" not in " ".join(f.value.to_csv() for f in app.dataframe)
