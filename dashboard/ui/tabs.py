"""A page's tabs, of which only the open one is run and sent to the browser.

Plain `st.tabs` runs every tab's content on each run and the browser draws them all, shown or not:
on the Usage page nine charts and seven tables for the three shown. Here choosing a tab runs the
page again (`on_change="rerun"`) and a page fills only the tab whose `.open` is true:

    activity, features = page_tabs(["Activity", "Features"], key="usage-tab")
    if activity.open:
        with activity:
            ...

A widget in a tab that is not open is not drawn, so what was typed into a form there is lost when
the user moves to another tab and back (Streamlit forgets widgets a run did not draw).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.elements.lib.mutable_tab_container import TabContainer


def page_tabs(labels: Sequence[str], *, key: str, default: str | None = None) -> list[TabContainer]:
    """The tabs; the open one (`default`, else the first, until the user picks another) is kept
    under `key` in the session, so a callback or a test may open a tab by setting it."""
    return list(st.tabs(list(labels), key=key, on_change="rerun", default=default))
