"""A table sends the page at most TABLE_ROWS rows, says how many there are, and its CSV download has them all
(issue 27: the browser is sent what it shows; a long list is read from the file, not scrolled through)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.components import TABLE_ROWS
from tests.bench.long_table_app import LONG_TABLE_ROWS

ROOT = Path(__file__).resolve().parents[2]


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "tests/bench/long_table_app.py"), default_timeout=30).run()
    assert not app.exception, app.exception
    assert LONG_TABLE_ROWS > TABLE_ROWS
    shown = app.dataframe[0].value
    assert len(shown) == TABLE_ROWS and list(shown["day"].astype(str)) == [
        str(day) for day in range(TABLE_ROWS)
    ]
    assert any(f"first {TABLE_ROWS:,} of {LONG_TABLE_ROWS:,}" in caption.value for caption in app.caption)
    download = next(
        button for button in app.get("download_button") if button.proto.label == "Download long (CSV)"
    )
    assert download is not None
