"""Real browser, as manager, on SQLite and PostgreSQL: each job of the Opt-outs, Sharing and Legal pages done
once, without a workaround. A double-clicked submit stores one record; a saved form is cleared; lists and
pickers show the write at once; an opt-out is marked applied later; a recipient is added on the page; a
disclosure is recorded at the time it happened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from data_access.db import make_engine, session_factory
from data_access.models import Contact, LegalRequest, PreferenceEvent, Recipient, SharingRecord
from data_access.types import utcnow
from tests.e2e.test_browser import sign_in
from tests.e2e.test_request_flow import choose, settled

pytestmark = pytest.mark.browser
WAIT = 30_000


def _scalar(url: str, statement):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with session_factory(engine)() as session:
        value = session.scalar(statement)
    engine.dispose()
    return value


def _open(browser, base: str, link: str, tab: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    sign_in(page, base, "manager")
    page.get_by_role("link", name=link, exact=True).click()
    page.get_by_role("tab", name=tab).click()
    settled(page)
    return page


def _pick(page, label: str, options: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Add `options` in the Streamlit multiselect labelled `label`."""
    box = (
        page.locator('[data-testid="stMultiSelect"]')
        .filter(has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))
        .first
    )
    for option in options:
        box.click()
        page.keyboard.type(option)
        page.get_by_role("option", name=option, exact=True).first.click()
    page.keyboard.press("Escape")


def _set_date(page, label: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type YYYY-MM-DD into the date field's segments (year, month, day), which advance on their own."""
    page.get_by_label(label, exact=True).locator('[role="spinbutton"]').first.click()
    page.keyboard.type(value.replace("-", ""))
    page.keyboard.press("Tab")


def test_a_double_clicked_opt_out_is_stored_once_then_marked_applied(browser, written_app) -> None:  # type: ignore[no-untyped-def]
    base, url = written_app
    person = _scalar(
        url,
        select(Contact.person_id)
        .where(Contact.email.is_not(None))
        .order_by(Contact.person_id.desc())
        .limit(1),
    )
    before = _scalar(
        url, select(func.count()).select_from(PreferenceEvent).where(PreferenceEvent.person_id == person)
    )
    page = _open(browser, base, "Opt-outs", "Record an opt-out")
    page.get_by_role("textbox", name="Person").fill(str(person))
    page.get_by_role("button", name="Record").dblclick()
    page.get_by_text("must stop by the end of").wait_for(timeout=WAIT)
    _click_again(page, "Record")
    assert (
        _scalar(
            url, select(func.count()).select_from(PreferenceEvent).where(PreferenceEvent.person_id == person)
        )
        == before + 1
    )
    assert page.get_by_role("textbox", name="Person").input_value() == ""  # cleared on success
    opt_out = _scalar(url, select(func.max(PreferenceEvent.id)).where(PreferenceEvent.person_id == person))

    page.get_by_role("tab", name="Mark suppression applied").click()
    settled(page)
    choose(page, "Opt-out", next(o for o in _options(page, "Opt-out") if o.startswith(f"{opt_out}:")))
    page.get_by_role("button", name="Mark suppression applied").click()
    page.get_by_text(f"Suppression of opt-out {opt_out} marked applied").wait_for(timeout=WAIT)
    assert _scalar(url, select(PreferenceEvent.honoured_at).where(PreferenceEvent.id == opt_out)) is not None
    page.close()


def _click_again(page, button: str) -> None:  # type: ignore[no-untyped-def]
    """After the save, the impatient click once more, and let every run it caused finish."""
    settled(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_timeout(1500)
    settled(page)


def _options(page, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    box = (
        page.locator('[data-testid="stSelectbox"]')
        .filter(has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))
        .first
    )
    box.click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_a_double_clicked_sharing_record_is_stored_once_and_a_recipient_is_added(
    browser, written_app
) -> None:  # type: ignore[no-untyped-def]
    base, url = written_app
    recipient, allowed = _scalar_row(
        url,
        select(Recipient.name, Recipient.allowed_categories)
        .where(Recipient.approved.is_(True), Recipient.contract_status == "signed")
        .order_by(Recipient.id),
    )
    people = _scalar(url, select(Contact.person_id).order_by(Contact.person_id).limit(1))
    before = _scalar(url, select(func.count()).select_from(SharingRecord))
    page = _open(browser, base, "Third-party sharing", "Add a record")
    choose(page, "Recipient", recipient)
    _pick(page, "Data categories", [sorted(allowed)[0]])
    choose(page, "Legal basis", "contract")
    page.get_by_role("textbox", name="People included (user ids, separated by commas, spaces or lines)").fill(
        str(people)
    )
    page.get_by_role("button", name="Add sharing record").dblclick()
    page.get_by_text("Sharing record").filter(has_text="added for 1 people").wait_for(timeout=WAIT)
    _click_again(page, "Add sharing record")
    assert _scalar(url, select(func.count()).select_from(SharingRecord)) == before + 1

    name = f"Browser helpdesk {url.split(':')[0]}"
    page.get_by_role("tab", name="Add a recipient").click()
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Country (ISO code)").fill("IE")
    choose(page, "Contract / DPA status", "signed")
    page.get_by_text("Approved to receive data").click()
    _pick(page, "Allowed data categories", ["user.name"])
    page.get_by_role("button", name="Add recipient").click()
    page.get_by_text(f"Recipient {name} added to the register.").wait_for(timeout=WAIT)
    settled(page)
    assert _scalar(url, select(func.count()).where(Recipient.name == name)) == 1
    page.get_by_role("tab", name="Add a record").click()
    assert name in _options(page, "Recipient")  # the picker reran after the write
    page.close()


def _scalar_row(url: str, statement):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with session_factory(engine)() as session:
        row = session.execute(statement).first()
    engine.dispose()
    return row


def test_a_legal_request_is_logged_reviewed_disclosed_backdated_and_notified(browser, written_app) -> None:  # type: ignore[no-untyped-def]
    base, url = written_app
    person = _scalar(url, select(Contact.person_id).order_by(Contact.person_id).limit(1))
    authority = f"Browser court {url.split(':')[0]}"
    page = _open(browser, base, "Legal disclosures", "Log and progress")
    page.get_by_role("textbox", name="Authority").fill(authority)
    page.get_by_role("textbox", name="Jurisdiction").fill("US-CA")
    page.get_by_role("textbox", name="Accounts specified (user ids)").fill(str(person))
    page.get_by_role("button", name="Log request").click()
    page.get_by_text("Logged LR-").wait_for(timeout=WAIT)
    settled(page)
    reference = _scalar(url, select(LegalRequest.reference).where(LegalRequest.authority == authority))
    choose(page, "Request", reference)  # in the picker at once
    settled(page)
    page.get_by_role("textbox", name="Reviewer").fill("Counsel")
    page.get_by_role("textbox", name="Legal basis that makes it binding (to comply)").fill("CCP 1985")
    page.get_by_role("textbox", name="Reason").fill("valid subpoena")
    page.get_by_role("button", name="Record review").click()
    page.get_by_text("Review recorded.").wait_for(timeout=WAIT)
    settled(page)
    choose(page, "Outcome", "some")
    _pick(page, "Categories disclosed", ["user.contact.email"])
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    _set_date(page, "Disclosed on", tomorrow)  # the future is refused...
    page.get_by_role("button", name="Record disclosure").click()
    page.get_by_text("disclosed at: the time of the disclosure is in the future").wait_for(timeout=WAIT)
    settled(page)
    _set_date(page, "Disclosed on", utcnow().date().isoformat())
    page.get_by_role("button", name="Record disclosure").click()
    page.get_by_text("Disclosure recorded.").wait_for(timeout=WAIT)
    settled(page)
    page.get_by_role("tab", name="Requests from authorities").click()
    page.get_by_text("Notice now due").wait_for(timeout=WAIT)
    page.get_by_role("tab", name="Log and progress").click()
    page.get_by_role("button", name="Record that the people were notified today").click()
    page.get_by_text("1 person(s) marked as notified.").wait_for(timeout=WAIT)
    settled(page)
    assert (
        _scalar(url, select(LegalRequest.disclosed_at).where(LegalRequest.reference == reference)) is not None
    )
    page.close()
