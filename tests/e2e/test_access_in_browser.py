"""Real browser: a fresh server shows sign-in and no data to anonymous deep links; every role signs in; an
executive's pages contain no email, name, phone, IP address or identifier of any demo person."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.auth.web_sessions import SESSION_COOKIE
from dashboard.privacy.pseudonyms import pseudonym
from dashboard.settings import pseudonym_key
from dashboard.ui.navigation import PAGES, pages_for
from data_access.db import make_engine, session_factory
from data_access.models import AccessLogEntry, AuditEntry, Contact, PersistentIdentifier, Person
from data_access.models.enums import Role
from data_access.queries.optouts import recent_opt_outs
from tests.e2e.server import running_app
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("entry", ["serve.py", "streamlit_app.py"])
def test_a_fresh_server_shows_sign_in_and_no_data_to_every_anonymous_deep_link(  # type: ignore[no-untyped-def]
    browser, e2e_database_url, entry
) -> None:
    # its own server: the first requests after a start; served as `make run` does and as the bare script
    with running_app(e2e_database_url, entry=entry) as base:
        page = browser.new_page()
        for spec in PAGES:
            page.goto(f"{base}/{spec.slug}")
            page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
            assert page.locator('[data-testid="stDataFrame"]').count() == 0, spec.slug
            assert page.locator('[data-testid="stMetric"]').count() == 0, spec.slug
        page.close()


def test_a_password_sign_in_survives_a_refresh_and_a_new_tab_until_sign_out(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, app_url, "manager")
    cookie = next(c for c in context.cookies() if c["name"] == SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax", cookie
    page.reload()
    page.get_by_text("Compliance overview").wait_for(timeout=30_000)
    other_tab = context.new_page()
    other_tab.goto(f"{app_url}/requests")
    other_tab.get_by_role("heading", name="Subject requests").wait_for(timeout=30_000)
    assert "/account/sign-in" not in other_tab.url
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").wait_for(timeout=30_000)
    other_tab.reload()  # the sign-out ended the session everywhere: the same cookie no longer opens a page
    other_tab.get_by_label("Username", exact=True).wait_for(timeout=30_000)
    assert "/account/sign-in" in other_tab.url
    context.close()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_signs_in_and_sees_only_its_pages(browser, app_url, role) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    page.get_by_label("Username", exact=True).fill(role.value)
    page.get_by_label("Password", exact=True).fill("demo-only-password")
    page.get_by_role("button", name="Sign in").click()
    expected = pages_for(role)
    page.get_by_role("link", name=expected[0].title).first.wait_for(timeout=30_000)
    for spec in PAGES:
        assert (page.get_by_role("link", name=spec.title, exact=True).count() > 0) == (spec in expected), (
            spec.slug
        )
    page.close()


def test_no_page_shows_an_executive_any_personal_data(browser, app_url, e2e_database_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(e2e_database_url)
    with session_factory(engine)() as session:
        values = {
            v
            for row in session.execute(select(Contact.email, Contact.full_name, Contact.phone))
            for v in row
            if v
        }
        values |= {v for v in session.scalars(select(Person.username)) if v}
        values |= set(session.scalars(select(PersistentIdentifier.value)))
        values |= {ip for ip in session.scalars(select(AccessLogEntry.client).distinct()) if ip}
    engine.dispose()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, app_url, "executive")
    for spec in pages_for(Role.EXECUTIVE):
        page.get_by_role("link", name=spec.title, exact=True).click()
        page.get_by_role("heading", level=1).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        text = page.locator("body").text_content() or ""
        leaked = sorted(v for v in values if len(v) >= 6 and v in text)
        assert not leaked, (spec.slug, leaked[:5])
    page.close()


def test_an_auditor_downloads_a_table_as_csv_masked_and_audited(browser, app_url, e2e_database_url) -> None:  # type: ignore[no-untyped-def]
    """The CSV is written on the click (not on every run of the page): what arrives is the masked table, each
    person named by the person's pseudonym (issue 25 item 6)."""
    engine = make_engine(e2e_database_url)
    with session_factory(engine)() as session:
        emails = {v for v in session.scalars(select(Contact.email)) if v}
        people = [pseudonym(pseudonym_key(), pid) for pid in recent_opt_outs(session=session)["person_id"]]
        before = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "export.csv", AuditEntry.object_id == "recent-opt-outs")
        )
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    sign_in(page, app_url, "auditor")
    page.get_by_role("link", name="Opt-outs", exact=True).click()
    page.get_by_role("tab", name="Violations").click()
    button = page.get_by_role("button", name="Download recent-opt-outs (CSV)")
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    page.close()
    assert rows and {"email", "channel", "received_at"} <= set(rows[0])
    shown = [row["email"] for row in rows if row["email"]]
    assert shown and all("***@" in email for email in shown), shown[:3]
    assert not emails & set(shown)
    assert sorted(row["person_id"] for row in rows) == sorted(people)
    with session_factory(engine)() as session:
        after = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "export.csv",
                AuditEntry.object_id == "recent-opt-outs",
                AuditEntry.actor == "auditor",
            )
        )
    engine.dispose()
    assert after == (before or 0) + 1
