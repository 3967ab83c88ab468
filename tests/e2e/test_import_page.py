"""Real browser: a manager uploads a file with errors to the Import page, sees each rejected row with its
line and field, confirms, and the good rows are stored; the screenshot goes to artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.db import make_engine, session_factory
from data_access.models import Recipient
from tests.e2e.test_browser import ARTIFACTS, sign_in
from tests.e2e.test_request_flow import choose, settled

pytestmark = pytest.mark.browser
BAD_RECIPIENTS = (
    "name,role,country,contract_status,dpa_signed_on,approved,allowed_categories\n"
    "Good Host,hosting,US,signed,2024-01-01,true,user.contact\n"
    "Bad Role,astrology,US,signed,2024-01-01,true,user.contact\n"
    "Bad Date,hosting,US,signed,31/02/2024,true,user.contact\n"
    ",hosting,US,signed,2024-01-01,true,user.contact\n")


def test_manager_imports_a_file_with_errors(browser, app_url, e2e_database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    upload = tmp_path / "recipients.csv"
    upload.write_text(BAD_RECIPIENTS)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    sign_in(page, app_url, "manager")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("heading", name="Import").wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    choose(page, "Kind of file", "recipients — The recipients register: who we share with, their role, contract "
                                 "and allowed categories.")
    settled(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload", exact=True).click()
    chooser.value.set_files(str(upload))
    page.get_by_role("button", name="Import 1 row(s)").wait_for(timeout=30_000)
    settled(page)
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-with-errors.png"), full_page=True)
    page.get_by_role("button", name="Import 1 row(s)").click()
    page.get_by_text("Imported as batch").wait_for(timeout=30_000)
    page.close()
    engine = make_engine(e2e_database_url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).where(Recipient.name == "Good Host")) == 1
        assert session.scalar(select(func.count()).where(Recipient.name.in_(["Bad Role", "Bad Date"]))) == 0
    engine.dispose()
