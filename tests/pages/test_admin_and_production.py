"""Admin page actions, and the production guard: with COMPLIANCE_ENV=production and demo accounts enabled,
the router and every page show why they refuse and no data."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from dashboard.ui.navigation import PAGES
from data_access.models import StaffAccount
from data_access.models.enums import Role


def test_admin_adds_an_account(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/admin.py", Role.ADMIN).run()
    fields = {t.label: t for t in app.text_input}
    fields["Username"].input("new.analyst")
    fields["Display name"].input("New Analyst")
    fields["Initial password (empty: single sign-on only)"].input("a perfectly long password")
    next(b for b in app.button if b.label == "Add account").click()
    app.run()
    assert not app.exception and any(
        r"new\.analyst added" in s.value for s in app.success
    )  # Markdown source, escaped
    assert "new.analyst" in set(app.dataframe[0].value["username"])  # the list reran after the write
    assert next(t for t in app.text_input if t.label == "Username").value == ""  # the form is cleared
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            select(StaffAccount.role, StaffAccount.is_demo).where(StaffAccount.username == "new.analyst")
        ).one()
    engine.dispose()
    assert tuple(stored) == ("manager", False)


@pytest.mark.parametrize("script", ["streamlit_app.py", *[p.script for p in PAGES]])
def test_production_refuses_to_run_with_demo_accounts_enabled(app_for, monkeypatch, script) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMPLIANCE_ENV", "production")
    app = app_for(script, Role.MANAGER).run()
    assert not app.exception
    assert any("demo accounts" in e.value and "production" in e.value for e in app.error)
    assert len(app.dataframe) == 0 and len(app.metric) == 0


@pytest.mark.parametrize("key", ["COMPLIANCE_AUDIT_KEY", "COMPLIANCE_PSEUDONYM_KEY"])
def test_production_refuses_to_run_without_a_key(app_for, monkeypatch, key) -> None:  # type: ignore[no-untyped-def]
    """Hardening item 7: the audit head is sealed with a key; issue 25 item 6: auditors' pseudonyms are keyed.
    Production must neither make a key up nor run without it."""
    monkeypatch.setenv("COMPLIANCE_ENV", "production")
    monkeypatch.delenv(key)
    app = app_for("streamlit_app.py", Role.MANAGER).run()
    assert not app.exception
    assert any(key in e.value for e in app.error)
    assert len(app.dataframe) == 0 and len(app.metric) == 0
