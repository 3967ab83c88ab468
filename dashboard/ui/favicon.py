"""The browser tab's icon, from a file shipped with the app.

A compliance tool makes no request to a third party: Streamlit draws a Material or emoji page icon from
fonts.gstatic.com, and an image file would be served from /media/, which the sign-in gate refuses before
sign-in. A data: URL is drawn by the browser without any request at all.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

FAVICON_FILE = Path(__file__).resolve().parent / "static" / "favicon.png"


@cache
def favicon() -> str:
    """The icon as a data: URL, for st.set_page_config(page_icon=...)."""
    return "data:image/png;base64," + base64.b64encode(FAVICON_FILE.read_bytes()).decode("ascii")
