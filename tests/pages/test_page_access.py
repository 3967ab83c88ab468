"""Every page for every role: allowed pages render without an exception, forbidden ones refuse.

Page scripts are also run directly (as Streamlit's legacy pages/ discovery would right after
a server start), so the guard inside each page is what is tested, not the menu.
"""

from __future__ import annotations

import pytest

from dashboard.auth.roles import PAGE_ROLES
from dashboard.ui.navigation import PAGES
from dashboard.ui.resources import BUSY_MESSAGE, engine_for
from data_access.db import make_engine
from data_access.models.enums import Role
from tests.locking import write_lock_held

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


def test_while_an_import_holds_the_write_lock_pages_read_and_a_write_answers_busy(  # type: ignore[no-untyped-def]
    app_for, demo_database_url, short_busy_timeout
) -> None:
    """SQLite readers are not blocked by the writer (WAL): the overview renders. A page that must
    write (here the audit entry of a refused visit) says the database is busy and to try again,
    instead of a server error."""
    engine_for.clear()  # connections made before the short timeout was set would wait the production time
    engine = make_engine(demo_database_url)
    try:
        with write_lock_held(engine):
            overview = app_for("pages/overview.py", Role.EXECUTIVE).run()
            refused = app_for("pages/audit.py", Role.EXECUTIVE).run()
    finally:
        engine.dispose()
        engine_for.clear()
    assert not overview.exception and not overview.error and len(overview.metric) == 14
    assert not refused.exception, refused.exception
    assert [e.value for e in refused.error] == [BUSY_MESSAGE]
    assert len(refused.dataframe) == 0 and len(refused.metric) == 0
