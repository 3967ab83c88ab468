"""Every page an executive may open, rendered by AppTest: no table cell, metric or text holds an email, name,
phone, username, identifier or IP address of a demo person (the browser draws tables on a canvas, so the
cell values are checked here, where they are data)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from dashboard.ui.navigation import pages_for
from data_access.models import AccessLogEntry, Contact, PersistentIdentifier, Person
from data_access.models.enums import Role
from tests.pages.tabs import each_tab, open_tab


@pytest.fixture(scope="module")
def demo_values(demo_database_url: str) -> set[str]:
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        values = {
            v
            for row in connection.execute(select(Contact.email, Contact.full_name, Contact.phone))
            for v in row
            if v
        }
        values |= {v for v in connection.execute(select(Person.username)).scalars() if v}
        values |= set(connection.execute(select(PersistentIdentifier.value)).scalars())
        values |= {v for v in connection.execute(select(AccessLogEntry.client).distinct()).scalars() if v}
    engine.dispose()
    return {v for v in values if len(v) >= 6}


@pytest.mark.parametrize("spec", pages_for(Role.EXECUTIVE), ids=lambda s: s.slug)
def test_no_executive_page_holds_personal_data(app_for, demo_values, spec) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for run in each_tab(app_for(spec.script, Role.EXECUTIVE).run(), spec.slug):  # every tab, each run alone
        assert not run.exception
        shown += [frame.value.to_csv() for frame in run.dataframe]
        shown += (
            [str(m.value) for m in run.metric]
            + [m.value for m in run.markdown]
            + [c.value for c in run.caption]
        )
    text = "\n".join(shown)
    leaked = sorted(v for v in demo_values if v in text)
    assert not leaked, leaked[:5]


def test_an_executive_is_told_what_a_withheld_count_means(app_for) -> None:  # type: ignore[no-untyped-def]
    """The policy checks' evidence counts of 1-4 show as <5 to executives (never None, never a blank read as
    zero): the table says why, once."""
    from dashboard.ui.components import SUPPRESSED_NOTE

    app = app_for("pages/policy.py", Role.EXECUTIVE).run()
    assert not app.exception
    summary = next(frame.value for frame in app.dataframe if "evidence_rows" in frame.value.columns)
    assert (summary["evidence_rows"] == "<5").any()  # the demo has checks with 1-4 findings
    assert not summary["evidence_rows"].isna().any()
    assert [c.value for c in app.caption].count(SUPPRESSED_NOTE) >= 1


def test_the_legal_page_reports_national_security_process_only_in_bands(app_for) -> None:  # type: ignore[no-untyped-def]
    """50 U.S.C. 1874(a)(3): the demo's national security request shows as '0-249', never as an
    exact count."""
    app = open_tab(app_for("pages/legal.py", Role.EXECUTIVE).run(), "legal", "Transparency report")
    assert not app.exception
    tables = [frame.value for frame in app.dataframe]
    exact = next(t for t in tables if "legal_process" in t.columns)
    assert "national_security" not in set(exact["legal_process"])
    banded = next(t for t in tables if "national_security_requests" in t.columns)
    assert set(banded["national_security_requests"]) == {"0-249"}
    assert any("1874" in c.value for c in app.caption)
