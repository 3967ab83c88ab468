"""Issue 24 item 7 per role: after an erasure the person page shows what is actually left and why
(not the data map's list for every table with a row), and the request page lists the recipients to
tell; managers record notices, auditors read them masked, executives see none of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services.erasure_follow_through import (
    NoticeEntry,
    erasure_for_request,
    record_recipient_notice,
)
from data_access.db import make_engine, session_factory
from data_access.migrate import upgrade
from data_access.models.enums import Role
from tests.erasure_case import MANAGER, ErasedCase, erase_someone
from tests.pages.conftest import PRINCIPALS, ROOT
from tests.pages.tabs import open_tab

ANSWER = "Deleted from our backups too, signed J. Doe"


@pytest.fixture(scope="module")
def erased(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ErasedCase]:
    """Its own database: the shared demo one stays without an erased person for the other page tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('erasure-pages') / 'erased.db'}"
    upgrade(url)
    engine = make_engine(url)
    case = erase_someone(engine)
    with session_factory(engine)() as session:  # one recipient already answered, to see the answer per role
        erasure = erasure_for_request(session=session, request_id=case.request_id)
        assert erasure is not None
        sent = erasure.erased_at + timedelta(minutes=5)
        record_recipient_notice(
            session=session,
            principal=MANAGER,
            request_id=case.request_id,
            entry=NoticeEntry(
                recipient_id=min(case.recipients.values()),
                sent_at=sent,
                channel="email",
                answer=ANSWER,
                answered_at=sent + timedelta(minutes=5),
            ),
        )
        session.commit()
    engine.dispose()
    return url, case


@pytest.fixture
def app(
    erased: tuple[str, ErasedCase], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, Role], AppTest]]:
    monkeypatch.setenv("DATABASE_URL", erased[0])
    monkeypatch.chdir(ROOT)

    def build(script: str, role: Role) -> AppTest:
        page = AppTest.from_file(str(ROOT / script), default_timeout=30)
        page.session_state["principal"] = PRINCIPALS[role]
        return page.run()

    yield build


def _request(page: AppTest, case: ErasedCase) -> AppTest:
    open_tab(page, "requests", "Request")
    next(s for s in page.selectbox if s.label == "Request").set_value(case.reference)
    return page.run()


def _person(page: AppTest, case: ErasedCase) -> AppTest:
    next(t for t in page.text_input if t.label == "Find a person").input(str(case.person_id))
    return page.run()


def _table(page: AppTest, column: str) -> list[dict[str, object]]:
    return [row for f in page.dataframe if column in f.value.columns for row in f.value.to_dict("records")]


def test_the_person_page_shows_what_is_left_and_why_not_the_data_maps_list(app, erased) -> None:  # type: ignore[no-untyped-def]
    _, case = erased
    page = _person(app("pages/inventory.py", Role.MANAGER), case)
    assert not page.exception and not page.error
    caption = next(c.value for c in page.caption if "Data categories held: " in c.value)
    held = caption.partition("Data categories held: ")[2].split(", ")
    # nothing of the account, contact or billing profile is held; the request record keeps no details
    for gone in (
        "user.account.username",
        "user.content.private",
        "user.contact.phone_number",
        "user.contact.address",
        "user.financial.bank_account",
    ):
        assert gone not in held, (gone, held)
    left = {row["table"]: row for row in _table(page, "why")}
    assert left["invoices"]["form"] == "pseudonymised" and "tax" in str(left["invoices"]["why"])
    assert str(left["invoices"]["retention"]).startswith("until 20")
    assert "contacts" not in left and "billing_profiles" not in left
    assert "confirm the completion" in str(left["subject_requests"]["why"])
    assert {row["recipient"] for row in _table(page, "notice_due")} == set(case.recipients)


def test_the_manager_records_a_notice_on_the_request_page(app, erased) -> None:  # type: ignore[no-untyped-def]
    _, case = erased
    page = _request(app("pages/requests.py", Role.MANAGER), case)
    assert not page.exception and not page.error
    assert "Erasure follow-through" in [h.value for h in page.subheader]
    other = max(case.recipients, key=case.recipients.__getitem__)
    next(s for s in page.selectbox if s.label == "Recipient").set_value(other)
    next(s for s in page.selectbox if s.label == "Channel").set_value("portal")
    next(b for b in page.button if b.label == "Record notice").click()
    page = page.run()
    assert not page.exception and not page.error
    assert any(f"Notice to {other} recorded" in s.value for s in page.success)
    states = {row["recipient"]: row["state"] for row in _table(page, "notice_due")}
    assert states[other] == "sent, no answer yet" and set(states.values()) <= {
        "answered",
        "sent, no answer yet",
    }


def test_the_auditor_reads_the_follow_through_masked_and_cannot_record(app, erased) -> None:  # type: ignore[no-untyped-def]
    _, case = erased
    page = _request(app("pages/requests.py", Role.AUDITOR), case)
    assert not page.exception and not page.error
    rows = _table(page, "notice_due")
    assert {row["recipient"] for row in rows} == set(case.recipients)
    assert ANSWER not in {row["answer"] for row in rows}  # free text written by a person: withheld
    assert not [
        b for b in page.button if b.label in ("Record notice", "Record confirmation and remove the contact")
    ]
    person = _person(app("pages/inventory.py", Role.AUDITOR), case)
    assert not person.exception and _table(person, "why")
    assert ANSWER not in str([f.value.to_dict() for f in person.dataframe])


def test_the_executive_sees_no_follow_through_and_no_person(app, erased) -> None:  # type: ignore[no-untyped-def]
    _, case = erased
    for script in ("pages/requests.py", "pages/inventory.py"):
        page = app(script, Role.EXECUTIVE)
        assert not page.exception and not page.error
        shown = str([f.value.to_dict() for f in page.dataframe]) + str([m.value for m in page.markdown])
        assert "Erasure follow-through" not in [h.value for h in page.subheader]
        assert not [row for f in page.dataframe for row in f.value.to_dict("records") if "notice_due" in row]
        for private in (
            case.reference,
            case.email,
            ANSWER,
        ):  # recipients' names are the data map's, not personal
            assert private not in shown, (script, private)


def test_an_erased_request_offers_no_second_erasure_only_its_completion(app, erased) -> None:  # type: ignore[no-untyped-def]
    """The next allowed actions come from the workflow rule: once erased (fulfilled), "Erase" is not
    offered again; completing the request is."""
    _, case = erased
    page = _request(app("pages/requests.py", Role.MANAGER), case)
    assert not page.exception and not page.error
    assert not [b for b in page.button if b.label == "Erase"]
    assert not [c for c in page.checkbox if "erase the person's data" in c.label]
    actions = next(m.value for m in page.markdown if m.value.startswith("**Next allowed actions**"))
    assert "complete the request" in actions and "erase the person" not in actions
