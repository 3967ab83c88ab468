"""Real browser, as manager, on SQLite and PostgreSQL (issue 24 item 7): after an erasure the
request page lists the recipients the person's data went to; the manager records the notice sent to
one, and confirms the completion to the requester, which removes the contact kept for it; the person
page then says what is left and why.
Screenshots: docs/screenshots/erasure-follow-through.png and erasure-what-is-left.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import make_engine, session_factory
from data_access.models import ErasureRecipientNotice, SubjectRequest
from tests.e2e.test_browser import sign_in
from tests.e2e.test_request_flow import choose, settled
from tests.erasure_case import erase_someone

pytestmark = pytest.mark.browser
WAIT = 30_000
SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "erasure-follow-through.png"
LEFT_SHOT = SHOT.with_name("erasure-what-is-left.png")


def _open_request(page, base: str, reference: str) -> None:  # type: ignore[no-untyped-def]
    """The request page with `reference` chosen. The request was written outside the app, so the queue's read
    cache (a minute) may not hold it yet: reload until it does."""
    for _ in range(8):
        page.get_by_role("link", name="Subject requests", exact=True).click()
        page.get_by_role("tab", name="Request", exact=True).click()
        try:
            choose(page, "Request", reference)
            settled(page)
            return
        except Exception:  # noqa: BLE001 - not listed yet
            page.keyboard.press("Escape")
            page.wait_for_timeout(10_000)
            page.goto(base)
    raise AssertionError(f"{reference} never appeared in the request picker")


def test_manager_records_a_recipient_notice_and_the_completion_after_an_erasure(browser, written_app) -> None:  # type: ignore[no-untyped-def]
    base, url = written_app
    engine = make_engine(url)
    case = erase_someone(engine)
    recipient = min(case.recipients)
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    sign_in(page, base, "manager")
    _open_request(page, base, case.reference)
    page.get_by_text("Erasure follow-through").wait_for(timeout=WAIT)
    choose(page, "Recipient", recipient)
    page.get_by_label("Recipient's answer (when it came)").fill("Deleted, ticket 4411")
    page.get_by_role("button", name="Record notice").click()
    page.get_by_text(f"Notice to {recipient} recorded.").wait_for(timeout=WAIT)
    settled(page)
    page.get_by_role("button", name="Record confirmation and remove the contact").click()
    page.get_by_text("Completion confirmed; the requester's contact was removed.").wait_for(timeout=WAIT)
    settled(page)
    if url.startswith("sqlite"):
        SHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOT), full_page=True)
    page.get_by_role("link", name="Data inventory", exact=True).click()
    page.get_by_role("textbox", name="Find a person").fill(str(case.person_id))
    page.keyboard.press("Enter")
    page.get_by_text(f"(request {case.reference}). What is left, and why:").wait_for(timeout=WAIT)
    settled(page)
    if url.startswith("sqlite"):
        page.screenshot(path=str(LEFT_SHOT), full_page=True)
    with session_factory(engine)() as session:
        notice = session.scalar(
            select(ErasureRecipientNotice).where(ErasureRecipientNotice.request_id == case.request_id)
        )
        request = session.get(SubjectRequest, case.request_id)
    engine.dispose()
    assert notice is not None and notice.recipient_id == case.recipients[recipient]
    assert notice.sent_at is not None and notice.channel == "email" and notice.recorded_by == "manager"
    assert notice.answer == "Deleted, ticket 4411" and notice.answered_at is None  # no answer date given
    assert request is not None and request.requester_email is None
