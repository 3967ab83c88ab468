"""Real browser, the manager's main flow: log an access request, verify it, start work, confirm the person,
build the access package, download it and complete the request; the zip verifies against its checksums."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from data_access.db import make_engine, session_factory
from data_access.models import Contact, SubjectRequest
from tests.e2e.server import SETTLED
from tests.e2e.test_browser import ARTIFACTS, sign_in

pytestmark = pytest.mark.browser


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the rerun finished and its elements are drawn (server.SETTLED)."""
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED, timeout=30_000)


def choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick `option` in the Streamlit selectbox labelled `label` (an option reads `option`, or
    `option · what it means` as the request picker and the status steps do)."""
    box = (
        page.locator('[data-testid="stSelectbox"]')
        .filter(has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))
        .first
    )
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=re.compile(f"^{re.escape(option)}( · |$)")).first.click()


def test_manager_logs_verifies_fulfils_an_access_request_and_downloads_the_package(  # type: ignore[no-untyped-def]
    browser, app_url, e2e_database_url
) -> None:
    engine = make_engine(e2e_database_url)
    with session_factory(engine)() as session:
        person_id, email = session.execute(
            select(Contact.person_id, Contact.email)
            .where(Contact.email.is_not(None))
            .order_by(Contact.person_id)
        ).first()
    page = browser.new_page(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    sign_in(page, app_url, "manager")
    page.get_by_role("link", name="Subject requests").click()
    page.get_by_role("tab", name="New request").click()
    page.get_by_role("textbox", name="Requester's name").fill("Browser Tester")
    page.get_by_role("textbox", name="Requester's email").fill(email)
    page.get_by_role("textbox", name="Country (ISO code)").fill("DE")
    page.get_by_role("button", name="Log request").click()
    page.get_by_text("answer due").wait_for(timeout=30_000)
    with session_factory(engine)() as session:
        reference = session.scalar(
            select(SubjectRequest.reference).where(SubjectRequest.requester_name == "Browser Tester")
        )
    assert reference

    page.get_by_role("tab", name="Request", exact=True).click()
    choose(page, "Request", reference)
    settled(page)  # else "New status" may still be the previous request's, whose options differ (seen in CI)
    for status in ("verifying", "in_progress"):
        choose(page, "New status", status)
        page.get_by_role("button", name="Apply").click()
        page.get_by_text(f"is now {status}").wait_for(timeout=30_000)
        settled(page)
    page.get_by_text("Assign, confirm the person, add a note").click()
    settled(page)
    page.get_by_role("button", name="Confirm person").click()
    page.get_by_text(f"Person {person_id} confirmed").wait_for(timeout=30_000)
    settled(page)
    page.get_by_role("button", name="Build the access package").click()
    download_button = page.get_by_role("button", name=f"Download {reference}-your-data.zip")
    download_button.wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "request-access-package.png"), full_page=True)
    with page.expect_download() as download:
        download_button.click()
    content = open(download.value.path(), "rb").read()  # noqa: PTH123
    settled(page)
    choose(page, "New status", "completed")
    page.get_by_role("textbox", name="Reason or outcome (required to reject or extend)").fill("package sent")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("is now completed").wait_for(timeout=30_000)
    page.close()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sums = dict(line.split("  ")[::-1] for line in archive.read("SHA256SUMS").decode().splitlines())
        assert "data/contact.json" in sums and email in archive.read("data/contact.json").decode()
        for name, digest in sums.items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    with session_factory(engine)() as session:
        stored = session.scalar(
            select(SubjectRequest.package_sha256).where(SubjectRequest.reference == reference)
        )
    engine.dispose()
    assert stored == hashlib.sha256(content).hexdigest()
