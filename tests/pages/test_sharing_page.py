"""The Sharing page as manager: a sharing record submitted twice is stored once and the form is cleared; a
recipient added on the page is in the register and in the record form's picker at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, func, select

from dashboard.rules.deadlines import deadline_settings
from dashboard.ui.text import as_text
from data_access.models import Person, Recipient, SharingRecord
from data_access.models.enums import Role
from tests.pages.tabs import open_tab

PAGE = "pages/sharing.py"


def _approved_recipient_and_people(url: str) -> tuple[str, str, list[int]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        name, allowed = connection.execute(
            select(Recipient.name, Recipient.allowed_categories)
            .where(Recipient.approved.is_(True), Recipient.contract_status == "signed")
            .order_by(Recipient.id)
        ).first()
        people = list(connection.execute(select(Person.id).order_by(Person.id).limit(2)).scalars())
    engine.dispose()
    return name, sorted(allowed)[0], people


def _records_at(url: str, at: datetime) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            select(func.count()).select_from(SharingRecord).where(SharingRecord.shared_at == at)
        ).scalar()
    engine.dispose()
    return int(found or 0)


def _fill_record(app, recipient: str, category: str, people: list[int], day: date, moment: time) -> None:  # type: ignore[no-untyped-def]
    next(s for s in app.selectbox if s.label == "Recipient").set_value(recipient)
    next(m for m in app.multiselect if m.label.startswith("Data categories")).set_value([category])
    next(s for s in app.selectbox if s.label == "Legal basis").set_value("contract")
    next(d for d in app.date_input if d.label == "Shared on").set_value(day)
    next(t for t in app.time_input if t.label.startswith("Shared at")).set_value(moment)
    next(t for t in app.text_area if t.label.startswith("People included")).input(", ".join(map(str, people)))
    next(b for b in app.button if b.label == "Add sharing record").click()


def test_a_sharing_record_submitted_twice_is_stored_once_and_the_form_is_cleared(  # type: ignore[no-untyped-def]
    app_for, demo_database_url
) -> None:
    recipient, category, people = _approved_recipient_and_people(demo_database_url)
    day, moment = date(2026, 10, 14), time(11, 17)
    at = datetime.combine(day, moment, ZoneInfo(deadline_settings().controller_tz)).astimezone(UTC)
    before = _records_at(demo_database_url, at)
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "sharing", "Add a record")
    _fill_record(app, recipient, category, people, day, moment)
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("Sharing record" in s.value and "added" in s.value for s in app.success)
    assert next(m for m in app.multiselect if m.label.startswith("Data categories")).value == []
    _fill_record(app, recipient, category, people, day, moment)  # the same entry again
    app.run()
    assert any(i.value.startswith("Already saved") for i in app.info)
    assert _records_at(demo_database_url, at) == before + 1


def test_a_recipient_added_on_the_page_is_in_the_register_and_the_picker(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "sharing", "Add a record")
    assert "Page-test helpdesk" not in next(s for s in app.selectbox if s.label == "Recipient").options
    open_tab(app, "sharing", "Add a recipient")
    next(t for t in app.text_input if t.label == "Name").input("Page-test helpdesk")
    next(t for t in app.text_input if t.label == "Country (ISO code)").input("IE")
    next(s for s in app.selectbox if s.label == "Contract / DPA status").set_value("signed")
    next(c for c in app.checkbox if c.label == "Approved to receive data").check()
    next(m for m in app.multiselect if m.label.startswith("Allowed data categories")).set_value(["user.name"])
    next(b for b in app.button if b.label == "Add recipient").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(
        as_text("Page-test helpdesk added") in s.value for s in app.success
    )  # Markdown source, escaped
    assert next(t for t in app.text_input if t.label == "Name").value == ""
    assert (
        "Page-test helpdesk"
        in next(
            s for s in open_tab(app, "sharing", "Add a record").selectbox if s.label == "Recipient"
        ).options
    )
    assert any(
        "Page-test helpdesk" in set(f.value.get("name", []))
        for f in open_tab(app, "sharing", "Recipients").dataframe
    )
