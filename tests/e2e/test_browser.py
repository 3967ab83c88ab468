"""Real browser: sign in, see a real figure on Overview, open another page, save screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.db import make_engine, session_factory
from data_access.models import Person

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
DEMO_PASSWORD = "demo-only-password"


def sign_in(page, base: str, username: str, landing: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Sign in with the demo password; done when the Overview shows or, given `landing`, that page's
    menu link."""
    page.goto(base)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if landing is None:
        page.get_by_text("Compliance overview").wait_for(timeout=30_000)
    else:
        page.get_by_role("link", name=landing).first.wait_for(timeout=30_000)


def test_manager_sees_real_people_count_on_overview_and_opens_requests(
    browser, app_url, e2e_database_url
) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(e2e_database_url)
    with session_factory(engine)() as session:
        people = session.scalar(select(func.count()).select_from(Person))
    engine.dispose()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, app_url, "manager")
    metric = page.locator('[data-testid="stMetric"]', has_text="People").first
    metric.wait_for()
    assert f"{people:,}" in metric.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-manager.png"), full_page=True)
    page.get_by_role("link", name="Subject requests").click()
    page.get_by_role("heading", name="Subject requests").wait_for(timeout=30_000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "requests-manager.png"), full_page=True)
    page.close()
