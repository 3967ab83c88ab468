"""The Communications page per role: managers record opt-outs, auditors see masked data, executives
see aggregates only."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import create_engine, func, select

from dashboard.privacy.pseudonyms import PATTERN
from data_access.models import PreferenceEvent
from data_access.models.enums import Role
from tests.pages.tabs import open_tab

PAGE = "pages/communications.py"
PII_COLUMNS = {"email", "phone", "person_id"}


def _columns(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {column for frame in app.dataframe for column in frame.value.columns}


def test_manager_sees_violations_with_contacts_and_records_an_opt_out(app_for, demo_database_url) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.MANAGER).run()
    assert not app.exception and not app.error
    assert [t.label for t in app.tabs] == [
        "Opt-out rates",
        "Honour times",
        "Violations",
        "Record an opt-out",
        "Mark suppression applied",
        "Import a suppression list",
    ]
    assert any(m.label == "Post-opt-out violations" for m in app.metric)
    assert {"email", "timing", "days_late"} <= _columns(open_tab(app, "communications", "Violations"))
    open_tab(app, "communications", "Record an opt-out")
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        before = connection.execute(select(PreferenceEvent.id)).all()
    next(t for t in app.text_input if t.label == "Person").input("1")
    next(b for b in app.button if b.label == "Record").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("must stop by the end of" in s.value for s in app.success)
    with engine.connect() as connection:
        after = connection.execute(
            select(PreferenceEvent.person_id, PreferenceEvent.rule).order_by(PreferenceEvent.id.desc())
        ).first()
        assert len(connection.execute(select(PreferenceEvent.id)).all()) == len(before) + 1
    engine.dispose()
    assert after is not None and after.person_id == 1 and after.rule


def test_manager_is_told_which_field_is_wrong_when_no_person_matches(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "communications", "Record an opt-out")
    next(t for t in app.text_input if t.label == "Person").input("nobody@nowhere.example")
    next(b for b in app.button if b.label == "Record").click()
    app.run()
    assert any(e.value.startswith("Person: no person matches") for e in app.error)


def test_auditor_sees_masked_contacts_and_no_forms(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.AUDITOR).run()
    assert not app.exception and not app.error
    assert len(app.tabs) == 3
    open_tab(app, "communications", "Violations")
    emails = [
        v for frame in app.dataframe if "email" in frame.value.columns for v in frame.value["email"].dropna()
    ]
    assert emails and all("***" in v for v in emails)
    people = [
        v for frame in app.dataframe if "person_id" in frame.value.columns for v in frame.value["person_id"]
    ]
    assert people and all(PATTERN.fullmatch(str(v)) for v in people)  # pseudonyms, as on every auditor page


def test_executive_sees_no_personal_data_and_small_counts_suppressed(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.EXECUTIVE).run()
    assert not app.exception and not app.error
    assert len(app.tabs) == 3
    for label in ("Opt-out rates", "Honour times", "Violations"):
        open_tab(app, "communications", label)
        assert not app.exception and not app.error
        assert not PII_COLUMNS & _columns(app)
        for frame in app.dataframe:
            for column in ("people", "messages"):
                if column in frame.value.columns:
                    assert all(v == "<5" or int(v) == 0 or int(v) >= 5 for v in frame.value[column])
        rendered = " ".join(str(frame.value.to_csv()) for frame in app.dataframe)
        assert "@" not in rendered


def _events(url: str, **where: object) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            select(func.count()).select_from(PreferenceEvent).filter_by(**where)
        ).scalar()
    engine.dispose()
    return int(found or 0)


def _fill_opt_out(app, person: str, day: date, moment: time) -> None:  # type: ignore[no-untyped-def]
    next(t for t in app.text_input if t.label == "Person").input(person)
    next(d for d in app.date_input if d.label == "Received on").set_value(day)
    next(t for t in app.time_input if t.label.startswith("Received at")).set_value(moment)
    next(b for b in app.button if b.label == "Record").click()


def test_the_same_opt_out_submitted_twice_is_stored_once_and_the_form_is_cleared(  # type: ignore[no-untyped-def]
    app_for, demo_database_url
) -> None:
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "communications", "Record an opt-out")
    before = _events(demo_database_url, person_id=2)
    _fill_opt_out(app, "2", date(2026, 10, 20), time(9, 41))
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("must stop by the end of" in s.value for s in app.success)
    assert next(t for t in app.text_input if t.label == "Person").value == ""  # cleared on success
    _fill_opt_out(app, "2", date(2026, 10, 20), time(9, 41))  # the same entry again
    app.run()
    assert any(i.value.startswith("Already saved") for i in app.info)
    assert _events(demo_database_url, person_id=2) == before + 1


def test_a_pending_opt_out_is_marked_applied_and_leaves_the_pending_list(  # type: ignore[no-untyped-def]
    app_for, demo_database_url
) -> None:
    app = open_tab(app_for(PAGE, Role.MANAGER).run(), "communications", "Record an opt-out")
    _fill_opt_out(app, "3", date(2026, 10, 21), time(10, 5))
    app.run()
    assert not app.error, [e.value for e in app.error]
    open_tab(app, "communications", "Mark suppression applied")
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        opt_out = connection.execute(
            select(PreferenceEvent.id)
            .where(PreferenceEvent.person_id == 3)
            .order_by(PreferenceEvent.id.desc())
        ).scalar()
    pending = next(
        f.value
        for f in app.dataframe
        if "honour_by" in f.value.columns and "honoured_at" not in f.value.columns
    )
    assert opt_out in set(pending["id"])  # the list reran after the write: the new opt-out is in it
    next(s for s in app.selectbox if s.label == "Opt-out").set_value(opt_out)
    next(d for d in app.date_input if d.label == "Applied on").set_value(date(2026, 10, 22))
    next(t for t in app.time_input if t.label == "Applied at").set_value(time(8, 0))
    next(b for b in app.button if b.label == "Mark suppression applied").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(
        f"opt\\-out {opt_out} marked applied" in s.value for s in app.success
    )  # Markdown source, escaped
    pending = next(
        f.value
        for f in app.dataframe
        if "honour_by" in f.value.columns and "honoured_at" not in f.value.columns
    )
    assert opt_out not in set(pending["id"])
    with engine.connect() as connection:
        assert (
            connection.execute(
                select(PreferenceEvent.honoured_at).where(PreferenceEvent.id == opt_out)
            ).scalar()
            is not None
        )
    engine.dispose()
