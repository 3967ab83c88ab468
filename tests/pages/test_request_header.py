"""A request's page for every role (issue 24, item 5): what matters first (status, days left, due
and extended due, regime, requester, next allowed actions), every request in the picker, a link that
opens one, no status chosen for the manager, and a way to confirm a person when none is
suggested."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, select

from dashboard.auth.service import Principal
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.ui.clock import today
from dashboard.ui.request_picker import PICK, REQUEST_TAB, TABS
from data_access.db import make_engine, transaction
from data_access.models import Contact, SubjectRequest
from data_access.models.enums import OPEN_REQUEST_STATUSES, RequestChannel, RequestType, Role
from tests.pages.tabs import open_tab
from tests.pages.test_markdown_injection import markdown_bodies

PAGE = "pages/requests.py"
HEADER = ["Status", "Due", "Extended due"]
MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)


def _stored(url: str, reference: str) -> dict[str, object]:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(select(SubjectRequest).where(SubjectRequest.reference == reference)).one()
    engine.dispose()
    return dict(row._mapping)


def _metrics(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: str(m.value) for m in app.metric}


def _text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(markdown_bodies(app))


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_the_request_opens_on_its_status_deadline_requester_and_next_actions(
    app_for,
    demo_database_url,  # type: ignore[no-untyped-def]
    role,
) -> None:
    app = open_tab(app_for(PAGE, role).run(), "requests", "Request")
    assert not app.exception and not app.error, [e.value for e in app.error]
    stored = _stored(demo_database_url, app.session_state[PICK])  # the most urgent open request
    assert stored["status"] in OPEN_REQUEST_STATUSES
    labels = [m.label for m in app.metric]
    assert labels[:4] == ["Status", labels[1], "Due", "Extended due"]  # the request tab comes before the KPIs
    assert labels[1] in ("Days left", "Late")
    metrics = _metrics(app)
    assert metrics["Status"] == str(stored["status"]).replace("_", " ")
    assert metrics["Due"] == f"{stored['due_date']:%Y-%m-%d}"
    assert metrics["Extended due"] == (
        f"{stored['extended_due_date']:%Y-%m-%d}" if stored["extended_due_date"] else "–"
    )
    effective = stored["extended_due_date"] or stored["due_date"]
    days = (effective - today()).days  # type: ignore[operator]
    assert metrics[labels[1]] == (
        f"{-days} day{'' if days == -1 else 's'} overdue"
        if days < 0
        else "due today"
        if days == 0
        else str(days)
    )
    text = _text(app)
    assert "**Next allowed actions** " in text and "reject the request \\(with a reason\\)" in text
    assert "**Regime** " in text
    email = str(stored["requester_email"])
    if role == Role.MANAGER:
        assert email.replace(".", "\\.") in text
    else:  # masked by privacy.presentation, as everywhere an auditor looks
        assert email not in text and email.replace(".", "\\.") not in text and "\\*\\*\\*" in text
        assert not [s for s in app.selectbox if s.label == "New status"]
    assert any(e.label == "All recorded fields" for e in app.expander)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_executives_and_admins_get_no_request_header(app_for, role) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, role).run()
    assert not app.exception
    assert not set(HEADER) & set(_metrics(app))
    assert "Requester" not in _text(app) and "@" not in _text(app)
    if role == Role.ADMIN:
        assert any("may not open this page" in e.value for e in app.error)


def test_change_status_chooses_nothing_for_the_manager(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "requests", "Request")
    before = _stored(demo_database_url, app.session_state[PICK])
    status = next(s for s in app.selectbox if s.label == "New status")
    assert status.value is None and status.placeholder == "choose the next status"
    assert all(" · " in option for option in status.options)  # each step says what it means
    next(b for b in app.button if b.label == "Apply").click()
    app.run()
    assert not app.exception and not app.error
    assert any("Choose the new status first" in w.value for w in app.warning)
    after = _stored(demo_database_url, str(before["reference"]))
    assert (after["status"], after["version"]) == (before["status"], before["version"])


def test_the_picker_lists_every_request_open_first(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "requests", "Request")
    picker = next(s for s in app.selectbox if s.label == "Request")
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(SubjectRequest))
        open_count = connection.scalar(
            select(func.count()).where(SubjectRequest.status.in_(OPEN_REQUEST_STATUSES))
        )
    engine.dispose()
    assert len(picker.options) == total > open_count > 0
    closed = ("completed", "rejected", "closed unverified")
    assert not any(option.endswith(closed) for option in picker.options[:open_count])
    assert all(option.endswith(closed) for option in picker.options[open_count:])


def test_a_link_opens_a_closed_request_on_its_tab(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        reference = connection.scalar(
            select(SubjectRequest.reference)
            .where(SubjectRequest.status == "completed")
            .order_by(SubjectRequest.id)
        )
    engine.dispose()
    app = app_for(PAGE, Role.MANAGER)
    app.query_params["request"] = reference
    app.run()
    assert not app.exception and not app.error
    assert app.session_state[PICK] == reference and app.session_state[TABS] == REQUEST_TAB
    stored = _stored(demo_database_url, reference)
    metrics = _metrics(app)
    assert metrics["Status"] == "completed" and metrics["Closed"].startswith(
        f"{stored['closed_at']:%Y-%m-%d}"
    )
    assert "**Next allowed actions** none: the request is closed" in _text(app)
    assert not [s for s in app.selectbox if s.label == "New status"]
    app = app_for(PAGE, Role.MANAGER)
    app.query_params["request"] = "DSR-NOPE"
    app.run()
    assert any("No request has the reference DSR\\-NOPE" in w.value for w in app.warning)


def test_confirm_person_without_a_suggestion_searches_or_says_what_to_do(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(demo_database_url)
    with transaction(engine) as session:
        request = create_request(
            session=session,
            principal=MANAGER,
            intake=RequestIntake(
                requester_name="Nomatch Requester",
                request_type=RequestType.ACCESS,
                channel=RequestChannel.EMAIL,
                received_at=datetime.now(UTC),
                requester_email="nobody.we.hold@example.org",
                country="DE",
            ),
        )
        reference = request.reference
        person_id, email = session.execute(
            select(Contact.person_id, Contact.email)
            .where(Contact.email.is_not(None))
            .order_by(Contact.person_id.desc())
        ).first()
    engine.dispose()
    app = app_for(PAGE, Role.MANAGER)
    app.query_params["request"] = reference
    app.run()
    assert "No person has the requester's email or phone" in " ".join(c.value for c in app.caption)
    assert not [s for s in app.selectbox if s.label == "Matched person"]
    next(b for b in app.button if b.label == "Confirm person").click()
    app.run()
    assert any("Choose a person first" in w.value for w in app.warning)
    assert _stored(demo_database_url, reference)["person_id"] is None
    next(t for t in app.text_input if t.label == "Find a person").input(email).run()
    next(b for b in app.button if b.label == "Confirm person").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(f"Person {person_id} confirmed" in s.value for s in app.success)
    assert _stored(demo_database_url, reference)["person_id"] == person_id
