"""Real server and browser: a download's media URL, the uploads, the metrics and the agent API answer only a
request that carries a live session cookie (item 4 of the hardening issue); the same URL works in the browser
that signed in."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser


def _status_without_cookie(url: str, method: str = "GET") -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_managers_download_url_is_refused_without_the_session_cookie(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    sign_in(page, app_url, "manager")
    page.get_by_role("link", name="Subject requests").click()
    button = page.get_by_role("button", name="Download request-queue (CSV)")
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    url = download.value.url
    assert url.startswith(f"{app_url}/media/"), url
    signed_in = page.request.get(url)  # the browser's own cookies: the download still works for its owner
    assert signed_in.status == 200 and "requester_email" in signed_in.text()
    page.close()
    assert _status_without_cookie(url) == 401
    assert _status_without_cookie(f"{app_url}/_stcore/metrics") == 401
    assert _status_without_cookie(f"{app_url}/_stcore/agent/interact", "POST") == 401
    assert _status_without_cookie(f"{app_url}/_stcore/health") == 200  # the load balancer's probe stays open
