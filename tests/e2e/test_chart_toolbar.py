"""Charts on a narrow screen (a phone, 420 px): nothing drawn over a chart's title while the pointer is on the
chart (issue 25 item 5: plotly's toolbar covered the titles). Measured as bounding boxes in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_browser import DEMO_PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
NARROW = {"width": 420, "height": 900}


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_on_a_narrow_screen_no_toolbar_covers_a_chart_title(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=NARROW)
    page.goto(app_url)
    page.get_by_label("Username", exact=True).fill("executive")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{app_url}/communications")
    page.get_by_role("heading", name="Communications and opt-outs").wait_for(timeout=30_000)
    charts = page.locator(".js-plotly-plot")
    charts.first.locator(".gtitle").wait_for(timeout=30_000)
    checked = 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        if not chart.is_visible():  # in a tab not open
            continue
        chart.scroll_into_view_if_needed()
        chart.hover()  # plotly shows its toolbar, and Streamlit its own, while the pointer is on the chart
        page.wait_for_timeout(300)
        title = chart.locator(".gtitle").first.bounding_box()
        assert title is not None
        covering = [
            chart.locator(".modebar-btn"),
            page.locator('[data-testid="stElementToolbar"]').filter(has=page.locator("button")),
        ]
        for locator in covering:
            for n in range(locator.count()):
                box = locator.nth(n).bounding_box() if locator.nth(n).is_visible() else None
                assert box is None or not overlaps(title, box), (index, title, box)
        checked += 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "charts-narrow-executive.png"), full_page=True)
    page.close()
    assert checked >= 2
