"""Entry file and router: navigation lists only the pages the signed-in role may open."""

from __future__ import annotations

import streamlit as st

from dashboard.ui.favicon import favicon
from dashboard.ui.guard import current_principal, refuse_unsafe_production, render_sign_in
from dashboard.ui.navigation import pages_for

st.set_page_config(page_title="Interface Billing · Compliance", page_icon=favicon(), layout="wide")

refuse_unsafe_production()
principal = current_principal()
if principal is None:
    navigation = st.navigation(
        [st.Page(render_sign_in, title="Sign in", url_path="sign-in")], position="hidden"
    )
else:
    navigation = st.navigation(
        [
            st.Page(spec.script, title=spec.title, icon=spec.icon, url_path=spec.slug, default=index == 0)
            for index, spec in enumerate(pages_for(principal.role))
        ]
    )
navigation.run()
