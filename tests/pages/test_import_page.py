"""The Import page for every role: a manager's people file with one changed person is checked as 1 to update
and 1 unchanged, and imported as updated; the batches list shows updated and unchanged apart from stored and
rejected to the auditor; the other roles may not open the page."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, transaction
from data_access.models import Contact, FieldChange, Person
from data_access.models.enums import Role
from tests.pages.conftest import PRINCIPALS, ROOT
from tests.pages.tabs import open_tab

HEADER = "user_id,username,full_name,email,phone,country,region,created_at\n"


@pytest.fixture(scope="module")
def copy_url(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("import-page") / "demo.db"
    shutil.copy(demo_database_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def app_on(copy_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Role], AppTest]:
    monkeypatch.setenv("DATABASE_URL", copy_url)
    monkeypatch.chdir(ROOT)

    def build(script: str, role: Role) -> AppTest:
        app = AppTest.from_file(str(ROOT / script), default_timeout=60)
        app.session_state["principal"] = PRINCIPALS[role]
        return app

    return build


def _people_file(url: str, *, change: bool = True) -> tuple[bytes, str, str]:
    """Two demo people as the billing platform would export them; the first with a new email (`change`)."""
    engine = make_engine(url)
    with transaction(engine) as session:
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
            .limit(2)
        ).all()
    engine.dispose()
    lines = [[str(v or "") if i != 7 else v.isoformat() for i, v in enumerate(row)] for row in rows]
    if change:
        lines[0][3] = "changed.on.import@example.com"
    return (HEADER + "".join(",".join(line) + "\n" for line in lines)).encode(), rows[0][0], rows[0][3]


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_a_manager_sees_what_would_be_updated_then_updates_it(app_on, copy_url: str) -> None:  # type: ignore[no-untyped-def]
    data, ref, old_email = _people_file(copy_url)
    app = app_on("pages/imports.py", Role.MANAGER).run()
    app.selectbox[0].select("people").run()
    app.file_uploader[0].set_value(("people.csv", data, "text/csv")).run()
    assert not app.exception and not app.error
    checked = _metrics(app)
    assert (
        checked["Would be stored"],
        checked["Would be updated"],
        checked["Unchanged"],
        checked["Rejected"],
    ) == ("0", "1", "1", "0")
    next(b for b in app.button if b.label == "Import 1 row(s)").click().run()
    assert not app.exception and any("Imported as batch" in s.value for s in app.success)
    done = _metrics(app)
    assert (done["Stored"], done["Updated"], done["Unchanged"], done["Rejected"]) == ("0", "1", "1", "0")
    engine = make_engine(copy_url)
    with transaction(engine) as session:
        person = session.scalar(select(Person).where(Person.external_ref == ref))
        assert person is not None and person.contact is not None
        assert person.contact.email == "changed.on.import@example.com"
        assert session.execute(
            select(FieldChange.old_value, FieldChange.new_value).where(FieldChange.person_id == person.id)
        ).all() == [(old_email, "changed.on.import@example.com")]
    engine.dispose()


def test_the_same_file_again_has_nothing_to_import(app_on, copy_url: str) -> None:  # type: ignore[no-untyped-def]
    data, _, _ = _people_file(copy_url, change=False)
    app = app_on("pages/imports.py", Role.MANAGER).run()
    app.selectbox[0].select("people").run()
    app.file_uploader[0].set_value(("people.csv", data, "text/csv")).run()
    assert _metrics(app)["Unchanged"] == "2"
    assert not [b for b in app.button if b.label.startswith("Import ")]
    assert any("Nothing to import" in i.value for i in app.info)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_updated_apart_in_the_batches_or_may_not_open_the_page(app_on, role: Role) -> None:  # type: ignore[no-untyped-def]
    app = app_on("pages/imports.py", role).run()
    assert not app.exception
    if role not in (Role.MANAGER, Role.AUDITOR):
        assert any("may not open this page" in e.value for e in app.error)
        return
    assert bool(app.file_uploader) == (role == Role.MANAGER)  # the first tab, where a manager imports
    batches = next(
        f.value for f in open_tab(app, "imports", "Batches").dataframe if "rows_read" in f.value.columns
    )
    assert {"rows_stored", "rows_updated", "rows_unchanged", "rows_rejected"} <= set(batches.columns)
