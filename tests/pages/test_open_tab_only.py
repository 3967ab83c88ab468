"""Only the open tab of a page is run and sent (issue 27): the browser draws what it shows, not
every tab's charts and tables. Opening another tab (its label under the page's tab key, as a click
sets it) runs that one alone."""

from __future__ import annotations

import pytest

from data_access.models.enums import Role

# Every page with tabs but Admin, whose two tabs are short forms.
PAGES = ["usage", "communications", "sharing", "legal", "requests", "policy", "security", "audit", "imports"]


def _filled(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [tab.label for tab in app.tabs if tab.children]


@pytest.mark.parametrize("slug", PAGES)
def test_only_the_open_tab_has_content(app_for, slug: str) -> None:  # type: ignore[no-untyped-def]
    app = app_for(f"pages/{slug}.py", Role.MANAGER).run()
    assert not app.exception, app.exception
    labels = [tab.label for tab in app.tabs]
    assert len(labels) >= 2 and _filled(app) == [labels[0]]
    app.session_state[f"{slug}-tab"] = labels[-1]
    app.run()
    assert not app.exception, app.exception
    assert _filled(app) == [labels[-1]]


def test_usage_traffic_charts_are_drawn_only_on_their_tab(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/usage.py", Role.MANAGER).run()
    assert "Top browsers" not in [header.value for header in app.subheader]
    app.session_state["usage-tab"] = "Traffic"
    app.run()
    assert "Top browsers" in [header.value for header in app.subheader]
