"""The inventory page per role: managers see a person's data, auditors masked, executives the data
map only."""

from __future__ import annotations

from data_access.models.enums import Role

PAGE = "pages/inventory.py"


def _find(app, term: str):  # type: ignore[no-untyped-def]
    next(t for t in app.text_input if t.label == "Find a person").input(term)
    return app.run()


def test_manager_sees_the_person_in_clear(app_for) -> None:  # type: ignore[no-untyped-def]
    app = _find(app_for(PAGE, Role.MANAGER).run(), "1")
    assert not app.exception and not app.error
    emails = [v for f in app.dataframe if "email" in f.value.columns for v in f.value["email"]]
    assert emails and all("***" not in v for v in emails)
    assert any(f.value.columns.tolist() == ["ip_address"] for f in app.dataframe)


def test_auditor_sees_the_person_masked(app_for) -> None:  # type: ignore[no-untyped-def]
    app = _find(app_for(PAGE, Role.AUDITOR).run(), "1")
    assert not app.exception and not app.error
    emails = [v for f in app.dataframe if "email" in f.value.columns for v in f.value["email"]]
    ips = [v for f in app.dataframe if "ip_address" in f.value.columns for v in f.value["ip_address"]]
    assert (
        emails
        and all("***" in v for v in emails)
        and ips
        and all(v.endswith(".x") or "::x" in v for v in ips)
    )


def test_executive_gets_the_data_map_and_no_person_search(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.EXECUTIVE).run()
    assert not app.exception and not app.error
    assert app.radio[0].options == ["Data map", "Record of processing"]
    assert not [t for t in app.text_input if t.label == "Find a person"]


def test_the_data_map_and_the_record_of_processing_render_for_an_auditor(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.AUDITOR).run()
    for view, column in (("Data map", "category"), ("Record of processing", "controller")):
        app.radio[0].set_value(view).run()
        assert not app.exception and any(column in f.value.columns for f in app.dataframe), view


def _a_demo_person(demo_database_url: str) -> tuple[int, str]:
    """A demo person's id and full name, read from the page's own database."""
    from sqlalchemy import select

    from data_access.db import make_engine, session_factory
    from data_access.models import Contact

    engine = make_engine(demo_database_url)
    with session_factory(engine)() as session:
        person_id, name = session.execute(
            select(Contact.person_id, Contact.full_name)
            .where(Contact.full_name.is_not(None))
            .order_by(Contact.person_id)
            .offset(7)
            .limit(1)
        ).one()
    engine.dispose()
    return person_id, name


def test_part_of_a_name_lists_the_person_for_a_manager(app_for, demo_database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 4: "Tanner" found nothing. Part of a demo person's family name now lists them among the
    matches."""
    person_id, name = _a_demo_person(demo_database_url)
    part = name.split()[-1][:4].lower()
    app = _find(app_for(PAGE, Role.MANAGER).run(), part)
    assert not app.exception and not app.error
    listed = [
        row for f in app.dataframe if "full_name" in f.value.columns for row in f.value.to_dict("records")
    ]
    assert {"person_id": person_id, "full_name": name}.items() <= next(
        row for row in listed if row["person_id"] == person_id
    ).items()


def test_the_audit_entry_of_a_search_holds_the_matches_not_the_term(app_for, demo_database_url: str) -> None:  # type: ignore[no-untyped-def]
    """The term may be a person's name: the audit log, kept for years, records how many matched and who."""
    from sqlalchemy import select

    from data_access.db import make_engine, session_factory
    from data_access.models import AuditEntry

    _, name = _a_demo_person(demo_database_url)
    part = name.split()[-1][:5]
    _find(app_for(PAGE, Role.MANAGER).run(), part)
    engine = make_engine(demo_database_url)
    with session_factory(engine)() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "person.search")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).one()
    engine.dispose()
    assert entry.details["count"] == len(entry.details["matches"]) >= 1
    assert part.lower() not in str(entry.details).lower()
