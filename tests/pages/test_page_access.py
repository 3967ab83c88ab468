"""Every page for every role: allowed pages render without an exception, forbidden ones refuse.

Page scripts are also run directly (as Streamlit's legacy pages/ discovery would right after
a server start), so the guard inside each page is what is tested, not the menu.
"""

from __future__ import annotations

import pytest

from dashboard.auth.roles import PAGE_ROLES
from dashboard.ui.navigation import PAGES
from data_access.models.enums import Role

CASES = [(page, role) for page in PAGES for role in Role]


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p.slug}-{r.value}" for p, r in CASES])
def test_page_renders_for_allowed_roles_and_refuses_others(app_for, page, role) -> None:  # type: ignore[no-untyped-def]
    app = app_for(page.script, role).run()
    assert not app.exception, app.exception
    if role in PAGE_ROLES[page.slug]:
        assert not app.error, [e.value for e in app.error]
        assert app.title, f"{page.slug} shows no title for {role}"
    else:
        assert any("may not open this page" in e.value for e in app.error)
        assert len(app.dataframe) == 0 and len(app.metric) == 0


@pytest.mark.parametrize("page", PAGES, ids=[p.slug for p in PAGES])
def test_anonymous_visitor_sees_sign_in_and_no_data(app_for, page) -> None:  # type: ignore[no-untyped-def]
    app = app_for(page.script).run()
    assert not app.exception
    assert any(t.value.endswith("Compliance") for t in app.title)
    assert len(app.dataframe) == 0 and len(app.metric) == 0


def test_router_lists_only_the_pages_a_role_may_open(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("streamlit_app.py", Role.EXECUTIVE).run()
    assert not app.exception
    assert app.title[0].value == "Compliance overview"
    assert len(app.metric) == 14  # the six figures of now and the eight of the last month


def test_sign_in_with_demo_password_then_wrong_password_is_refused(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("streamlit_app.py").run()
    app.text_input(key="sign_in_username").input("auditor")
    app.text_input(key="sign_in_password").input("not-the-password")
    app.button[0].click().run()
    assert any("wrong password" in e.value for e in app.error)
    app.text_input(key="sign_in_password").input("demo-only-password")
    app.button[0].click().run()
    assert not app.exception
    assert app.session_state["principal"].role == Role.AUDITOR


def test_served_with_the_sign_in_route_the_page_links_to_it_instead_of_a_form(app_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("dashboard.web.sign_in._mounted", True)
    app = app_for("pages/audit.py").run()
    assert not app.exception
    assert len(app.text_input) == 0  # no password field: the HTTP form is the one that can set the cookie
    links = app.get("link_button")
    assert len(links) == 1 and links[0].proto.url.startswith("/account/sign-in?next=")
