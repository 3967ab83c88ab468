"""Real browser, on both engines (issue 24, item 5): a manager clicks a row of the request queue and
the request opens on its header (status, days left, due dates, requester, next allowed actions),
with no status chosen for them; its address links to it, and the link opens it in a new tab."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dashboard.ui.request_header import HEADER_KEY
from data_access.db import make_engine, session_factory
from data_access.models import SubjectRequest
from data_access.models.enums import OPEN_REQUEST_STATUSES
from tests.e2e.test_browser import ARTIFACTS, sign_in
from tests.e2e.test_request_flow import settled

pytestmark = pytest.mark.browser
HEADER = f".st-key-{HEADER_KEY}"
ROW_HEIGHT = 35  # st.dataframe's default row and header height, in CSS pixels


def _second_in_queue(database_url: str) -> tuple[str, str, str]:
    """(reference, requester email, due date) of the queue's second row (open requests by effective due date);
    the first is the one the Request tab shows before any click."""
    engine = make_engine(database_url)
    r = SubjectRequest
    with session_factory(engine)() as session:
        row = session.execute(
            select(r.reference, r.requester_email, r.due_date)
            .where(r.status.in_(OPEN_REQUEST_STATUSES))
            .order_by(func.coalesce(r.extended_due_date, r.due_date), r.id)
        ).all()[1]
    engine.dispose()
    return row.reference, row.requester_email, f"{row.due_date:%Y-%m-%d}"


def test_manager_clicks_a_queue_row_and_the_request_opens_on_its_header(browser, written_app) -> None:  # type: ignore[no-untyped-def]
    base, database_url = written_app
    context = browser.new_context(viewport={"width": 1440, "height": 1100})
    page = context.new_page()
    sign_in(page, base, "manager")
    page.get_by_role("link", name="Subject requests").click()
    page.get_by_role("heading", name="Subject requests").wait_for(timeout=30_000)
    settled(page)
    reference, email, due = _second_in_queue(database_url)
    page.get_by_role("tab", name="Request", exact=True).click()  # another request is open there at first
    page.locator(HEADER).wait_for(timeout=30_000)
    assert reference not in page.locator(HEADER).inner_text()
    page.get_by_role("tab", name="Queue").click()
    settled(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    row = (box["x"] + 220, box["y"] + ROW_HEIGHT * 2.5)  # a cell of the second row
    page.mouse.move(
        *row
    )  # the grid knows the cell under the pointer from its moves, as a person's mouse makes
    page.wait_for_timeout(300)
    page.mouse.click(*row)
    settled(page)
    header = page.locator(HEADER)
    header.wait_for(timeout=30_000)
    assert page.get_by_role("tab", name="Request", exact=True).get_attribute("aria-selected") == "true"
    text = header.inner_text()
    for expected in (
        reference,
        "Status",
        "Due",
        due,
        "Extended due",
        "Regime",
        email,
        "Next allowed actions",
    ):
        assert expected in text, expected
    assert "Days left" in text or re.search(r"Late\s+\d+ days? overdue", text)
    page.get_by_text("Change status").first.wait_for()
    status = page.get_by_role("combobox", name="New status")
    assert status.input_value() == "" and status.get_attribute("placeholder") == "choose the next status"
    assert page.get_by_role("combobox", name="Request", exact=True).input_value().startswith(reference)
    assert f"request={reference}" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "request-page.png"), full_page=True)

    linked = context.new_page()  # the address opens the same request, on its tab
    linked.goto(page.url)
    linked.get_by_text("Next allowed actions").wait_for(timeout=30_000)
    settled(linked)
    assert linked.get_by_role("tab", name="Request", exact=True).get_attribute("aria-selected") == "true"
    assert reference in linked.locator(HEADER).inner_text()
    context.close()
