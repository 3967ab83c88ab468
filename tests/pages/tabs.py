"""Opening a page's tab in an AppTest as a click does: only the open tab is run (dashboard.ui.tabs)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_tab(app: AppTest, page: str, label: str) -> AppTest:
    """Open the tab `label` of `page` (its slug: the key is "<slug>-tab") and run the page."""
    app.session_state[f"{page}-tab"] = label
    return app.run()


def each_tab(app: AppTest, page: str) -> list[AppTest]:
    """The page run once per tab, each tab open in turn (the same AppTest, returned per run for reading)."""
    labels = [tab.label for tab in app.tabs]
    return [open_tab(app, page, label) for label in labels]
