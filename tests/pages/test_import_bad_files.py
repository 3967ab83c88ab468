"""A bad upload gets one short error naming the file on the page, never a traceback (issue 23 item
8): a CSV with a 10 MB field or a million columns on the Import page, OpenDSR JSON nested a hundred
thousand deep on the Requests page."""

from __future__ import annotations

from dashboard.ui.text import as_text
from data_access.models.enums import Role
from tests.pages.tabs import open_tab

SHORT = 300


def _one_short_error(app, name: str) -> str:  # type: ignore[no-untyped-def]
    assert not app.exception, app.exception
    assert len(app.error) == 1, [e.value for e in app.error]
    message = str(app.error[0].value)
    assert as_text(name) in message, message[:300]
    assert len(message) <= SHORT, f"{len(message)} characters"
    return message


def test_a_csv_with_a_10_mb_field_is_refused_naming_file_and_line(app_for) -> None:  # type: ignore[no-untyped-def]
    """Managers alone may import (roles.py: import.run); the other roles see no upload (test_page_access)."""
    app = app_for("pages/imports.py", Role.MANAGER).run()
    app.selectbox[0].select("people").run()
    data = (
        'user_id,full_name,country,created_at\nU1,"' + "x" * 10_000_000 + '",GB,2026-01-01T00:00:00Z\n'
    ).encode()
    app.file_uploader[0].set_value(("big-field.csv", data, "text/csv")).run()
    message = _one_short_error(app, "big-field.csv")
    assert "line 2" in message and "65,536" in message
    assert not [b for b in app.button if b.label.startswith("Import")]


def test_a_csv_of_a_million_columns_is_refused_in_a_short_message(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/imports.py", Role.MANAGER).run()
    app.selectbox[0].select("people").run()
    data = (",".join(f"c{i}" for i in range(1_000_000)) + "\n").encode()
    app.file_uploader[0].set_value(("wide.csv", data, "text/csv")).run()
    _one_short_error(app, "wide.csv")


def test_deeply_nested_opendsr_json_is_refused_naming_the_file(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_tab(app_for("pages/requests.py", Role.MANAGER).run(), "requests", "OpenDSR")
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    app.file_uploader[0].set_value(("deep.json", deep, "application/json")).run()
    assert "nested" in _one_short_error(app, "deep.json")
