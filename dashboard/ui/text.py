"""User text on a page is text, never Markdown.

Streamlit renders st.markdown, st.error, st.success, captions, subheaders and widget labels as Markdown, so a
staff display name, a CSV header or a form value repeated in an error that holds `![x](https://...)`
would make every viewer's browser fetch that address, and `[click](javascript:...)` would draw a
link. Every such value goes through `as_text` (CommonMark: a backslash before ASCII punctuation
makes it literal); raw HTML stays off (unsafe_allow_html is never used).
"""

from __future__ import annotations

import re

import streamlit as st

# CommonMark's inline and block syntax, plus Streamlit's :emoji:/:color[...]: directives and $math$.
_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def as_text(value: object) -> str:
    """`value` as a Markdown source that renders exactly as the text it is."""
    return _SIGNIFICANT.sub(r"\\\1", str(value))


def error_message(exc: Exception) -> str:
    """A domain error as the page says it: the field first when the error names one (design: translated at the
    edge, naming the field), escaped because the message may repeat what the user typed."""
    field = getattr(exc, "field", None)
    return f"{field.replace('_', ' ')}: {as_text(exc)}" if isinstance(field, str) else as_text(exc)


def show_error(exc: Exception, then: str = "") -> None:
    st.error(error_message(exc) + (f" {then}" if then else ""))


def show_success(message: str) -> None:
    st.success(as_text(message))
