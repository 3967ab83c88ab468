"""The browser benchmark's plumbing: one page in Chromium is timed until drawn, with what it was
sent counted, and compared with the empty page measured the same way."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.browser import (
    WireTally,
    arrow_rows,
    browser_pages,
    browser_table,
    chromium,
    new_page,
    plotly_points,
    timed_visit,
)
from dashboard.demo.generate import load_demo
from data_access.db import make_engine
from data_access.migrate import upgrade
from data_access.models.enums import Role
from tests.bench.long_table_app import LONG_TABLE_ROWS
from tests.conftest import DEMO_END
from tests.databases import in_ci
from tests.e2e.server import HOW_TO_GET_CHROMIUM, chromium_path, running_app


def test_chart_points_count_plain_and_typed_arrays_and_sankey_links() -> None:
    typed = {"dtype": "f8", "bdata": base64.b64encode(np.arange(7, dtype="f8").tobytes()).decode()}
    spec = {
        "data": [
            {"type": "scatter", "x": ["a", "b", "c"], "y": typed},
            {"type": "sankey", "link": {"source": [0, 1], "target": [1, 2], "value": [5, 6]}},
        ]
    }

    assert plotly_points(json.dumps(spec)) == 7 + 2


def test_each_element_sent_is_counted_and_plotly_charts_among_them() -> None:
    tally = WireTally()
    for kind in ("markdown", "plotly_chart", "plotly_chart"):
        message = ForwardMsg()
        element = message.delta.new_element
        if kind == "markdown":
            element.markdown.body = "text"
        else:
            element.plotly_chart.spec = json.dumps({"data": [{"type": "scatter", "x": [1, 2]}]})
        tally.frame(message.SerializeToString())

    assert (tally.visit.elements, tally.visit.charts, tally.visit.chart_points) == (3, 2, 4)


def test_dataframe_rows_are_read_from_the_arrow_stream() -> None:
    sink = pa.BufferOutputStream()
    table = pa.Table.from_pandas(pd.DataFrame({"a": range(12)}))
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)

    assert arrow_rows(sink.getvalue().to_pybytes()) == 12
    assert arrow_rows(b"") == 0


def _needs_chromium() -> None:
    if chromium_path() is None:
        if in_ci():
            pytest.fail("CI=true but Debian chromium is missing (apt-get install chromium)")
        pytest.skip(HOW_TO_GET_CHROMIUM)


@pytest.mark.browser
def test_one_page_is_timed_until_drawn_and_what_it_was_sent_is_counted(tmp_path: Path) -> None:
    _needs_chromium()
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    engine = make_engine(url)
    load_demo(engine, users=300, days=120, seed=9, end=DEMO_END)
    engine.dispose()

    result = browser_pages(url, roles=[Role.MANAGER], only={"usage"}, warm_visits=1)

    usage = result["pages"]["manager"]["usage"]
    assert usage["errors"] == 0
    assert 0 < usage["warm_run"] <= usage["warm"] and usage["cold"] > 0
    assert usage["ws_bytes"] > 0 and usage["dataframe_rows"] > 0 and usage["chart_points"] > 0
    assert result["empty"]["cold"] > 0 and result["empty"]["warm"] > 0
    assert usage["switch"] > 0 and result["empty"]["switch"] > 0  # switched to without a reload
    assert browser_table(result)[-1].split()[:2] == ["manager", "usage"]


@pytest.mark.browser
def test_a_long_table_reaches_the_browser_a_page_at_a_time(tmp_path: Path) -> None:
    """data_table sends the rows in view, the rest as the user scrolls: its page's wait does not
    grow with rows no one looks at."""
    _needs_chromium()
    with (
        running_app(f"sqlite:///{tmp_path / 'unused.db'}", entry="tests/bench/long_table_app.py") as base,
        chromium() as browser,
    ):
        context, page, tally = new_page(browser)
        visit = timed_visit(page, tally, base)
        context.close()

    assert 0 < visit.dataframe_rows < LONG_TABLE_ROWS
