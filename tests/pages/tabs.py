"""Opening a page's tab in an AppTest as a click does: only the open tab is run (dashboard.ui.tabs)."""

from __future__ import annotations

from collections.abc import Iterator

from streamlit.testing.v1 import AppTest


def open_tab(app: AppTest, page: str, label: str) -> AppTest:
    """Open the tab `label` of `page` (its slug: the key is "<slug>-tab") and run the page."""
    app.session_state[f"{page}-tab"] = label
    return app.run()


def each_tab(app: AppTest, page: str) -> Iterator[AppTest]:
    """The page (already run) with each of its tabs open in turn: a test reading everything a page shows reads
    each run; a page without tabs is yielded as it is."""
    labels = [tab.label for tab in app.tabs]
    if not labels:
        yield app
    for label in labels:
        yield open_tab(app, page, label)
