"""ASGI entry (`streamlit run serve.py`, used by `make run`): the dashboard plus the password sign-in route.

The sign-in route sets an HttpOnly session cookie, so a signed-in staff member stays signed in across a
refresh and in new tabs. Running streamlit_app.py directly still works, with sign-in lasting one tab.
"""

from __future__ import annotations

from functools import cache

import streamlit as st
from sqlalchemy import Engine

from dashboard.web.client_address import trust_no_forwarded_headers_in_server
from dashboard.web.sign_in import WebSignIn
from data_access.db import database_url, make_engine

trust_no_forwarded_headers_in_server()  # the sign-in brake's client address: COMPLIANCE_TRUSTED_PROXIES only


@cache
def _engine() -> Engine:
    return make_engine(database_url())


_sign_in = WebSignIn(_engine)
app = st.App("streamlit_app.py", routes=_sign_in.routes(), middleware=[_sign_in.middleware()])
