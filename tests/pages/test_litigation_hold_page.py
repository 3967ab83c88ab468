"""The litigation hold on the person page: a manager places it with a reason and lifts it again; an
auditor sees whether a person is held but has no form."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from data_access.models import AuditEntry, Person
from data_access.models.enums import Role

PAGE = "pages/inventory.py"


def _person_page(app_for, role: Role):  # type: ignore[no-untyped-def]
    app = app_for(PAGE, role).run()
    next(t for t in app.text_input if t.label == "Find a person").input("U0000001")
    return app.run()


def _held(url: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        held = connection.execute(
            select(Person.litigation_hold).where(Person.external_ref == "U0000001")
        ).scalar()
    engine.dispose()
    return bool(held)


def _act(app, button: str, reason: str):  # type: ignore[no-untyped-def]
    next(t for t in app.text_input if t.label.startswith("Reason")).input(reason)
    next(b for b in app.button if b.label == button).click()
    return app.run()


def test_a_manager_places_and_lifts_a_hold(app_for, demo_database_url: str) -> None:  # type: ignore[no-untyped-def]
    app = _person_page(app_for, Role.MANAGER)
    assert not app.exception and not app.error
    app = _act(app, "Place the hold", "Matter 2026-04")
    assert not app.exception and not app.error, app.error
    assert _held(demo_database_url)
    assert any("Under litigation hold" in i.value for i in app.info)
    auditor = _person_page(app_for, Role.AUDITOR)
    assert any("Under litigation hold" in i.value for i in auditor.info)
    assert not [b for b in auditor.button if "hold" in b.label]
    app = _act(app, "Lift the hold", "Matter 2026-04 settled")
    assert not app.error and not _held(demo_database_url)
    engine = create_engine(demo_database_url)
    with engine.connect() as connection:
        actions = (
            connection.execute(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("person.litigation%"))
                .order_by(AuditEntry.id)
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert actions[-2:] == ["person.litigation_hold", "person.litigation_hold_lifted"]
