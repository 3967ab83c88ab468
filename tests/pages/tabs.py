"""Opening a page's tab, or its policy checks' expanders, in an AppTest as a click does: only the
open tab and the open checks are run (dashboard.ui.tabs, dashboard.ui.check_panel)."""

from __future__ import annotations

from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

from dashboard.checks.catalogue import CHECKS


def open_tab(app: AppTest, page: str, label: str) -> AppTest:
    """Open the tab `label` of `page` (its slug: the key is "<slug>-tab") and run the page."""
    app.session_state[f"{page}-tab"] = label
    return app.run()


def open_checks(app: AppTest, keys: list[str] | None = None) -> AppTest:
    """Open the expander of each check in `keys` (every check when None) on the next run, as clicks do."""
    for key in keys if keys is not None else [spec.key for spec in CHECKS]:
        app.session_state[f"check-{key}"] = True
    return app


def each_tab(app: AppTest, page: str) -> Iterator[AppTest]:
    """The page (already run) with each of its tabs open in turn, every policy check in it open: a
    test reading everything a page shows reads each run; a page without tabs is yielded as it is,
    its checks opened."""
    labels = [tab.label for tab in app.tabs]
    if not labels:
        yield open_checks(app).run()
    for label in labels:
        yield open_tab(open_checks(app), page, label)
