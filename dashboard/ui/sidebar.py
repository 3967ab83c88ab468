"""Sidebar chrome on every page: who is signed in, which database, and how current the data is."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dashboard.ui.navigation import pages_for
from dashboard.ui.resources import cached_query
from dashboard.ui.text import as_text
from data_access.db import database_url, describe_url
from data_access.queries.overview import newest_activity

if TYPE_CHECKING:
    from collections.abc import Callable

    from dashboard.auth.service import Principal


def render_sidebar(principal: Principal, sign_out: Callable[[], None]) -> None:
    """The role's menu, who is signed in, the database and its newest data; `sign_out` (dashboard.ui.guard's)
    runs when the button is pressed."""
    with st.sidebar:
        # Our own menu: Streamlit's is off (client.showSidebarNavigation) because right after a server
        # start it would list every file in pages/ to anyone; this lists only the role's pages.
        try:
            for spec in pages_for(principal.role):
                st.page_link(spec.script, label=spec.title, icon=spec.icon)
        except StreamlitPageNotFoundError:
            pass  # the page was run directly, before the router registered any page: no menu to link
        st.divider()
        st.markdown(f"**{as_text(principal.display_name)}**  \n{principal.role.value.title()}")
        newest = cached_query(newest_activity)
        st.caption(f"Database: {describe_url(database_url())}")
        st.caption(f"Newest data: {newest:%Y-%m-%d %H:%M} UTC" if newest else "Newest data: none yet")
        if st.button("Sign out", key="sign_out"):
            sign_out()
            st.rerun()
