"""Real browser: a manager uploads a file with errors to the Import page, sees each rejected row with its
line and field, confirms, and the good rows are stored; a people file with one person's new email is checked
as one to update and one unchanged, and updates the person with field history (both engines). The screenshots
go to artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.db import make_engine, session_factory
from data_access.models import Contact, FieldChange, Person, Recipient
from tests.e2e.test_browser import ARTIFACTS, sign_in
from tests.e2e.test_request_flow import choose, settled

pytestmark = pytest.mark.browser
BAD_RECIPIENTS = (
    "name,role,country,contract_status,dpa_signed_on,approved,allowed_categories\n"
    "Good Host,hosting,US,signed,2024-01-01,true,user.contact\n"
    "Bad Role,astrology,US,signed,2024-01-01,true,user.contact\n"
    "Bad Date,hosting,US,signed,31/02/2024,true,user.contact\n"
    ",hosting,US,signed,2024-01-01,true,user.contact\n"
)


def test_manager_imports_a_file_with_errors(browser, app_url, e2e_database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    upload = tmp_path / "recipients.csv"
    upload.write_text(BAD_RECIPIENTS)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    sign_in(page, app_url, "manager")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("heading", name="Import").wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    choose(
        page,
        "Kind of file",
        "recipients — The recipients register: who we share with, their role, contract "
        "and allowed categories.",
    )
    settled(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload", exact=True).click()
    chooser.value.set_files(str(upload))
    page.get_by_role("button", name="Import 1 row(s)").wait_for(timeout=30_000)
    settled(page)
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-with-errors.png"), full_page=True)
    page.get_by_role("button", name="Import 1 row(s)").click()
    page.get_by_text("Imported as batch").wait_for(timeout=30_000)
    page.close()
    engine = make_engine(e2e_database_url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).where(Recipient.name == "Good Host")) == 1
        assert session.scalar(select(func.count()).where(Recipient.name.in_(["Bad Role", "Bad Date"]))) == 0
    engine.dispose()


PEOPLE_HEADER = "user_id,username,full_name,email,phone,country,region,created_at\n"


def _two_people(url: str) -> tuple[str, list[list[str]]]:
    """Two demo people (the 11th and 12th with an email) as the billing platform would export them."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        rows = session.execute(
            select(
                Person.external_ref,
                Person.username,
                Contact.full_name,
                Contact.email,
                Contact.phone,
                Person.country,
                Person.region,
                Person.created_at,
            )
            .join(Contact, Contact.person_id == Person.id)
            .where(Contact.email.is_not(None), Person.username.is_not(None))
            .order_by(Person.id)
            .offset(10)
            .limit(2)
        ).all()
    engine.dispose()
    return rows[0][3], [
        [str(v or "") if i != 7 else v.isoformat() for i, v in enumerate(row)] for row in rows
    ]


def test_manager_uploads_a_changed_person_and_it_is_updated(browser, written_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, url = written_app
    old_email, rows = _two_people(url)
    new_email = f"moved.{rows[0][0].lower()}@example.net"
    rows[0][3] = new_email
    upload = tmp_path / "people.csv"
    upload.write_text(PEOPLE_HEADER + "".join(",".join(row) + "\n" for row in rows))
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    sign_in(page, base, "manager")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("heading", name="Import").wait_for(timeout=30_000)
    choose(
        page,
        "Kind of file",
        "people — Accounts with contact details, billing profile and Google ID (one row per person).",
    )
    settled(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload", exact=True).click()
    chooser.value.set_files(str(upload))
    page.get_by_role("button", name="Import 1 row(s)").wait_for(timeout=30_000)
    settled(page)
    metrics = page.locator('[data-testid="stMetric"]')
    assert metrics.filter(has_text="Would be updated").inner_text().split()[-1] == "1"
    assert metrics.filter(has_text="Unchanged").inner_text().split()[-1] == "1"
    assert metrics.filter(has_text="Would be stored").inner_text().split()[-1] == "0"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"import-update-{url.split(':')[0].split('+')[0]}.png"), full_page=True
    )
    page.get_by_role("button", name="Import 1 row(s)").click()
    page.get_by_text("Imported as batch").wait_for(timeout=30_000)
    settled(page)
    assert metrics.filter(has_text="Updated").first.inner_text().split()[-1] == "1"
    page.close()
    engine = make_engine(url)
    with session_factory(engine)() as session:
        person = session.scalar(select(Person).where(Person.external_ref == rows[0][0]))
        assert person is not None and person.contact is not None and person.contact.email == new_email
        assert session.execute(
            select(
                FieldChange.table_name,
                FieldChange.field,
                FieldChange.old_value,
                FieldChange.new_value,
                FieldChange.changed_by,
            ).where(FieldChange.person_id == person.id)
        ).all() == [("contacts", "email", old_email, new_email, "manager")]
    engine.dispose()
