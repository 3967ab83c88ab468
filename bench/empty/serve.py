"""ASGI entry of the empty page (`streamlit run bench/empty/serve.py`), served as serve.py serves
the dashboard."""

from __future__ import annotations

import streamlit as st

app = st.App("app.py")  # relative to this file
