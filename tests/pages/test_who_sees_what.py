"""Who sees what, on every page an auditor or an executive may open, on the demo data plus free text
that names a demo person (a request's timeline note, an import's rejection reason that repeats the
bad value): no email, phone, full name, username or identifier of a demo person is shown, and no
person_id column holds a raw id.
Tables are checked as data (the CSV download of each table is written from that same frame)."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.auth.service import Principal
from dashboard.imports.kinds import KINDS
from dashboard.imports.runner import import_file
from dashboard.services.request_workflow import add_note
from dashboard.ui.navigation import pages_for
from data_access.db import make_engine, transaction
from data_access.models import Contact, PersistentIdentifier, Person, SubjectRequest
from data_access.models.enums import Role
from tests.pages.conftest import PRINCIPALS, ROOT
from tests.pages.tabs import each_tab, open_tab
from tests.pages.test_markdown_injection import markdown_bodies

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)


@pytest.fixture(scope="module")
def seeded(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A copy of the demo database where a note and a rejection reason name one demo person."""
    copy = tmp_path_factory.mktemp("seeded") / "demo.db"
    shutil.copy(demo_database_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    engine = make_engine(url)
    with transaction(engine) as session:
        person_id, name, email, phone = session.execute(
            select(Contact.person_id, Contact.full_name, Contact.email, Contact.phone)
            .where(Contact.email.is_not(None), Contact.phone.is_not(None), Contact.full_name.is_not(None))
            .order_by(Contact.person_id)
        ).first()
        request = session.execute(
            select(SubjectRequest.id, SubjectRequest.reference)
            .where(SubjectRequest.status == "in_progress")
            .order_by(SubjectRequest.id)
        ).first()
        add_note(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            note=f"Called {name} on {phone}; the answer goes to {email}.",
        )
        rows = (
            "user,channel,status,received_at\n"
            f"{email},email,opted_out,{email}\n{email},sms,opted_out,{phone}\n"
        )
        report = import_file(
            session=session,
            principal=MANAGER,
            kind=KINDS["preferences"],
            data=rows.encode(),
            source="seeded.csv",
        )
        assert report.rejected == 2
        values = {
            v for row in session.execute(select(Contact.email, Contact.full_name, Contact.phone)) for v in row
        }
        values |= set(session.scalars(select(Person.username))) | set(
            session.scalars(select(PersistentIdentifier.value))
        )
    engine.dispose()
    return {
        "url": url,
        "email": email,
        "reference": request.reference,
        "values": {v for v in values if v and len(v) >= 4},
    }


@pytest.fixture
def app_on(seeded: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Role], AppTest]:
    monkeypatch.setenv("DATABASE_URL", str(seeded["url"]))
    monkeypatch.chdir(ROOT)

    def build(script: str, role: Role) -> AppTest:
        app = AppTest.from_file(str(ROOT / script), default_timeout=60)
        app.session_state["principal"] = PRINCIPALS[role]
        return app

    return build


def shown_text(app: AppTest) -> str:
    frames = [frame.value for frame in app.dataframe]
    for frame in frames:
        if "person_id" in frame.columns:
            raw = [v for v in frame["person_id"].dropna() if not isinstance(v, str) or v.isdigit()]
            assert not raw, f"raw person ids shown: {raw[:3]}"
    return "\n".join(
        [frame.to_csv() for frame in frames] + markdown_bodies(app) + [str(m.value) for m in app.metric]
    )


def render_all(app: AppTest, slug: str, seeded: dict[str, object]) -> list[str]:
    """The page with each tab open, plus the states that show a person's free text: the seeded
    request's page and timeline, the seeded import's rejected rows (the newest batch, chosen by
    default), a person's inventory."""
    app.run()
    assert not app.exception, app.exception
    states = []
    for run in each_tab(app, slug):
        assert not run.exception, run.exception
        states.append(shown_text(run))
    if slug == "requests" and any(t.label == "Request" for t in app.tabs):
        open_tab(app, "requests", "Request")
        next(s for s in app.selectbox if s.label == "Request").select(seeded["reference"]).run()
        assert not app.exception
        states.append(shown_text(app))
    if slug == "inventory" and any(t.label == "Find a person" for t in app.text_input):
        next(t for t in app.text_input if t.label == "Find a person").input(str(seeded["email"])).run()
        assert not app.exception
        states.append(shown_text(app))
    return states


@pytest.mark.parametrize(
    ("role", "slug"),
    [(role, spec.slug) for role in (Role.AUDITOR, Role.EXECUTIVE) for spec in pages_for(role)],
)
def test_no_page_shows_an_auditor_or_executive_a_persons_data(app_on, seeded, role, slug) -> None:  # type: ignore[no-untyped-def]
    script = next(spec.script for spec in pages_for(role) if spec.slug == slug)
    app = app_on(script, role)
    for text in render_all(app, slug, seeded):
        leaked = sorted(v for v in seeded["values"] if v in text)
        assert not leaked, leaked[:5]


def test_the_auditor_sees_that_a_note_and_a_rejected_value_exist_without_reading_them(app_on, seeded) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_on("pages/requests.py", Role.AUDITOR).run(), "requests", "Request")
    next(s for s in app.selectbox if s.label == "Request").select(seeded["reference"]).run()
    timeline = next(f.value for f in app.dataframe if "note" in f.value.columns)
    assert timeline["note"].str.startswith("[withheld: ").any()
    app = app_on("pages/imports.py", Role.AUDITOR).run()
    rejected = next(f.value for f in app.dataframe if "reason" in f.value.columns)
    assert any("'***' is not an ISO 8601 time" in r for r in rejected["reason"]), list(rejected["reason"])
    assert isinstance(rejected, pd.DataFrame)
