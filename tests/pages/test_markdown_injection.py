"""User text that reaches Markdown (st.markdown, st.error, captions...) is shown as text: an image or a link
written into a staff display name, a CSV header or a form value is neither drawn nor fetched by the
browser."""

from __future__ import annotations

import pytest

from dashboard.auth.service import Principal
from data_access.models.enums import Role
from tests.pages.tabs import open_tab

IMAGE = "![x](http://evil.invalid/a.png)"
LINK = "[click](javascript:alert(1))"


def markdown_bodies(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The Markdown source of every element that Streamlit renders as Markdown, sidebar included."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader")
    bodies = [str(element.value) for kind in kinds for element in getattr(app, kind)]
    return bodies + [str(e.label) for e in app.expander] + [str(m.label) for m in app.metric]


def assert_shown_as_text(app, *payloads: str) -> None:  # type: ignore[no-untyped-def]
    bodies = markdown_bodies(app)
    assert not app.exception
    for payload in payloads:
        assert not [b for b in bodies if payload in b], payload  # never the live Markdown
    text = "\n".join(bodies)
    assert "![" not in text and "](" not in text
    assert r"\!\[x\]\(http\://evil\.invalid/a\.png\)" in text or IMAGE not in payloads


def test_a_display_name_with_markdown_is_shown_as_text_in_the_sidebar(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/overview.py", Role.MANAGER)
    app.session_state["principal"] = Principal("manager", f"{IMAGE} {LINK}", Role.MANAGER)
    app.run()
    assert_shown_as_text(app, IMAGE, LINK)
    assert any(r"\[click\]\(javascript\:alert\(1\)\)" in m.value for m in app.sidebar.markdown)


@pytest.mark.parametrize("kind", ["people", "preferences"])
def test_a_csv_header_with_markdown_is_shown_as_text_in_the_import_report(app_for, kind) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/imports.py", Role.MANAGER).run()
    app.selectbox[0].select(kind).run()
    app.file_uploader[0].set_value(("evil.csv", f"{IMAGE},{LINK}\n1,2\n".encode(), "text/csv")).run()
    assert app.error, "the unknown columns are reported"
    assert_shown_as_text(app, IMAGE, LINK)


def test_a_form_value_repeated_in_an_error_is_shown_as_text(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for("pages/requests.py", Role.MANAGER).run(), "requests", "New request")
    fields = {t.label: t for t in app.text_input}
    fields["Requester's name"].input("Paula Page")
    fields["Requester's email"].input(IMAGE)
    next(b for b in app.button if b.label == "Log request").click()
    app.run()
    assert any(e.value.startswith("requester email:") for e in app.error)
    assert_shown_as_text(app, IMAGE)
