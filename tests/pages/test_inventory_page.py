"""The inventory page per role: managers see a person's data, auditors masked, executives the data map only."""

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
    assert emails and all("***" in v for v in emails) and ips and all(v.endswith(".x") or "::x" in v for v in ips)


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
