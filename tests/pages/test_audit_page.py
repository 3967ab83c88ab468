"""Audit and reports: the chain check and the export centre, for managers and auditors."""

from __future__ import annotations

from data_access.models.enums import Role
from tests.pages.tabs import open_tab

PAGE = "pages/audit.py"


def test_the_chain_check_reports_an_intact_log(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.AUDITOR).run()
    assert not app.exception and not app.error
    next(b for b in app.button if b.label == "Verify the whole chain").click()
    app.run()
    assert any(s.value.startswith("Intact:") for s in app.success), [e.value for e in app.error]


def test_an_auditor_builds_the_evidence_package_and_gets_a_download(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for(PAGE, Role.AUDITOR).run(), "audit", "Export centre")
    next(b for b in app.button if b.label == "Build Evidence package").click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "export_builtEvidence package" in app.session_state


def test_filters_narrow_the_log(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.MANAGER).run()
    next(t for t in app.text_input if t.label == "Actor (exact)").input("nobody-at-all")
    app.run()
    log = next(f for f in app.dataframe if "action" in f.value.columns)
    assert log.value.empty
