"""Real browser: a compliance tool makes no request to a third party. Every request a signed-in page
makes (the favicon included: Streamlit fetches a Material icon from fonts.gstatic.com) goes to the
app's own origin."""

from __future__ import annotations

import pytest

from dashboard.ui.navigation import pages_for
from data_access.models.enums import Role
from tests.e2e.test_browser import sign_in
from tests.e2e.test_request_flow import settled

pytestmark = pytest.mark.browser


def test_every_request_of_the_managers_pages_goes_to_the_app_itself(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, app_url, "manager")
    for spec in pages_for(Role.MANAGER):
        page.get_by_role("link", name=spec.title, exact=True).first.click()
        settled(page)
    page.wait_for_timeout(1_000)
    page.close()
    foreign = sorted({url for url in requested if not url.startswith((app_url, "data:", "blob:"))})
    assert not foreign, foreign
