"""Browser benchmark (issue 27): what a user waits for, page by page and role by role, in headless
Chromium, as a ratio to an empty Streamlit page (bench/empty) served by the same Streamlit and
loaded in the same browser.

A visit is timed from `page.goto` until Streamlit reported the page's run finished (its
script_finished message on the websocket) and every element is drawn (tests.e2e.server.SETTLED:
nothing stale, no chart skeleton, no running indicator). Per role, the app's server is started
afresh and a fresh browser context signs in: each page's first visit is "cold" (Streamlit's caches
have not seen that page, the browser has the app's JavaScript from the sign-in) and the median of
WARM_VISITS visits after it is "warm". The empty page is measured the same way: a fresh server, its
landing page once (the sign-in's counterpart), then the empty page cold and warm.

Cold and warm visits load the page's URL, a full reload: the browser evaluates Streamlit's
JavaScript again and, on a page with charts, the chart library. A user moving between pages
clicks the menu instead, and the page is switched inside the open app (no reload). That is
"switch": the median of WARM_VISITS switches to the page from another one (history.pushState and
a popstate event, the route Streamlit's own page links take), each timed until the run finished
and the page is drawn; the empty page is switched to from its landing page.

Each visit also counts what was sent for it: websocket payload bytes received, dataframe rows (st.dataframe,
st.table) and chart points (every trace's points in the plotly specs), to show where the time goes.
"""

from __future__ import annotations

import base64
import json
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.ui.navigation import pages_for
from data_access.models.enums import Role
from tests.e2e.server import CHROMIUM_ARGS, SETTLED, chromium_path, running_app
from tests.e2e.test_browser import sign_in

WARM_VISITS = 3
VISIT_TIMEOUT_S = 120.0
EMPTY_ENTRY = "bench/empty/serve.py"
TRACE_ARRAYS = ("x", "y", "z", "values", "lat", "lon")


@dataclass
class Visit:
    """One page load: seconds until done, and what the server sent for it."""

    seconds: float = 0.0
    run_seconds: float = 0.0  # until the run's script_finished reached the browser; the rest is drawing
    ws_bytes: int = 0
    dataframe_rows: int = 0
    chart_points: int = 0
    elements: int = 0  # new elements (deltas) the page was sent: what the browser draws, one by one
    charts: int = 0  # of them plotly charts
    finished: bool = False
    errors: int = 0


@dataclass
class WireTally:
    """Reads every websocket frame the browser receives: the Visit in progress counts its bytes and
    contents."""

    visit: Visit = field(default_factory=Visit)

    def attach(self, page: Any) -> None:
        page.on("websocket", lambda socket: socket.on("framereceived", self.frame))

    def frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.visit.ws_bytes += len(data)
        message = ForwardMsg()
        try:
            message.ParseFromString(data)
        except Exception:  # noqa: BLE001 - not a ForwardMsg (none are expected): counted as bytes only
            return
        kind = message.WhichOneof("type")
        if kind == "script_finished":
            self.visit.finished |= message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self.count(message.delta.new_element)
        elif kind == "backend_operation_response":  # rows of a lazy table, fetched as the user scrolls
            self.visit.dataframe_rows += arrow_rows(
                message.backend_operation_response.dataframe_chunk.arrow_data.data
            )

    def count(self, element: Element) -> None:
        kind = element.WhichOneof("type")
        self.visit.elements += 1
        if kind == "dataframe":  # whole, or (lazy) the rows first in view
            self.visit.dataframe_rows += arrow_rows(
                element.dataframe.arrow_data.data or element.dataframe.lazy_data.initial_chunk.data
            )
        elif kind == "table":
            self.visit.dataframe_rows += arrow_rows(element.table.arrow_data.data)
        elif kind == "plotly_chart":
            self.visit.charts += 1
            self.visit.chart_points += plotly_points(element.plotly_chart.spec)
        elif kind == "exception":
            self.visit.errors += 1


def arrow_rows(data: bytes) -> int:
    if not data:
        return 0
    return int(pa.ipc.open_stream(data).read_all().num_rows)


def plotly_points(spec: str) -> int:
    """Points a plotly figure carries: per trace its longest data array (a Sankey's links)."""
    total = 0
    for trace in json.loads(spec).get("data", []):
        arrays = [trace.get(key) for key in TRACE_ARRAYS]
        if trace.get("type") == "sankey":
            arrays.append((trace.get("link") or {}).get("value"))
        total += max((_length(array) for array in arrays), default=0)
    return total


def _length(array: Any) -> int:
    """Length of a plotly data array: a JSON list or plotly's typed array ({"dtype", "bdata"[, "shape"]})."""
    if isinstance(array, list):
        return len(array)
    if isinstance(array, dict) and "bdata" in array:
        return len(base64.b64decode(array["bdata"])) // np.dtype(array["dtype"]).itemsize
    return 0


# Switches the open app to another page as its links do: Streamlit reruns the page the URL names.
SWITCH_PAGE = "p => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }"


def timed_visit(page: Any, tally: WireTally, url: str) -> Visit:
    """Load `url` and wait until Streamlit finished the run and the browser drew it all."""
    tally.visit = Visit()
    started = time.perf_counter()
    page.goto(url)
    return _drawn(page, tally, url, started)


def switched_visit(page: Any, tally: WireTally, path: str) -> Visit:
    """Switch the open app to the page at `path` (no reload); wait until its run is drawn."""
    tally.visit = Visit()
    started = time.perf_counter()
    page.evaluate(SWITCH_PAGE, path)
    return _drawn(page, tally, path, started)


def _drawn(page: Any, tally: WireTally, url: str, started: float) -> Visit:
    deadline = started + VISIT_TIMEOUT_S
    while not tally.visit.finished:  # frames are delivered while Playwright waits
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{url}: no script_finished within {VISIT_TIMEOUT_S:.0f} s")
        page.wait_for_timeout(5)
    tally.visit.run_seconds = time.perf_counter() - started
    page.wait_for_function(SETTLED, polling="raf", timeout=VISIT_TIMEOUT_S * 1000)
    tally.visit.seconds = time.perf_counter() - started
    return tally.visit


def cold_and_warm(
    page: Any, tally: WireTally, url: str, away: str, warm_visits: int = WARM_VISITS
) -> dict[str, Any]:
    """The first visit, the median of the next `warm_visits` and of as many switches to the page
    from the page at path `away`; bytes, rows and points of the last visit."""
    cold = timed_visit(page, tally, url)
    warm = [timed_visit(page, tally, url) for _ in range(warm_visits)]
    last = warm[-1]
    switches = []
    for _ in range(warm_visits):
        switched_visit(page, tally, away)
        switches.append(switched_visit(page, tally, urlsplit(url).path).seconds)
    return {
        "cold": cold.seconds,
        "warm": statistics.median(visit.seconds for visit in warm),
        "switch": statistics.median(switches),
        "warm_run": statistics.median(visit.run_seconds for visit in warm),
        "cold_ws_bytes": cold.ws_bytes,
        "ws_bytes": last.ws_bytes,
        "dataframe_rows": last.dataframe_rows,
        "chart_points": last.chart_points,
        "elements": last.elements,
        "charts": last.charts,
        "errors": cold.errors + sum(visit.errors for visit in warm),
    }


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("the browser benchmark needs Debian chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any) -> tuple[Any, Any, WireTally]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    tally = WireTally()
    tally.attach(page)
    return context, page, tally


def empty_page(browser: Any, database_url: str, warm_visits: int = WARM_VISITS) -> dict[str, Any]:
    with running_app(database_url, entry=EMPTY_ENTRY) as base:
        context, page, tally = new_page(browser)
        timed_visit(page, tally, f"{base}/start")
        figures = cold_and_warm(page, tally, f"{base}/empty", "/start", warm_visits)
        context.close()
    return figures


def role_pages(
    browser: Any, database_url: str, role: Role, only: set[str] | None = None, warm_visits: int = WARM_VISITS
) -> dict[str, dict[str, Any]]:
    """Every page `role` may open, each cold then warm, on a server started for this role alone."""
    figures = {}
    with running_app(database_url) as base:
        context, page, tally = new_page(browser)
        sign_in(page, base, role.value, landing=pages_for(role)[0].title)
        specs = pages_for(role)
        for spec in specs:
            if only is None or spec.slug in only:
                away = next((other.slug for other in specs if other is not spec), spec.slug)
                figures[spec.slug] = cold_and_warm(
                    page, tally, f"{base}/{spec.slug}", f"/{away}", warm_visits
                )
        context.close()
    return figures


def browser_pages(
    database_url: str,
    roles: list[Role] | None = None,
    only: set[str] | None = None,
    warm_visits: int = WARM_VISITS,
) -> dict[str, Any]:
    """The empty page, then every role's pages; the empty page again at the end (the machine's speed drifts:
    each page is compared with the mean of the two)."""
    with chromium() as browser:
        before = empty_page(browser, database_url, warm_visits)
        pages = {
            role.value: role_pages(browser, database_url, role, only, warm_visits)
            for role in roles or list(Role)
        }
        after = empty_page(browser, database_url, warm_visits)
    empty = {key: (before[key] + after[key]) / 2 for key in ("cold", "warm", "switch")}
    return {"empty": empty, "empty_runs": [before, after], "pages": pages}


def ratio_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per role and page: its seconds, its ratios to the empty page, and what was sent."""
    empty = result["empty"]
    rows = []
    for role, pages in result["pages"].items():
        for slug, page in pages.items():
            switch = page["switch"] / empty["switch"] if "switch" in page else None
            rows.append(
                {
                    "role": role,
                    "page": slug,
                    **page,
                    "cold_ratio": page["cold"] / empty["cold"],
                    "warm_ratio": page["warm"] / empty["warm"],
                    "switch_ratio": switch,
                }
            )
    return rows


def browser_table(result: dict[str, Any], cold_limit: float = 2.0, warm_limit: float = 1.5) -> list[str]:
    """The browser rows of `make bench`: ratios first, then seconds (warm, and of it until the run
    finished, the rest being the browser drawing) and what each page was sent (elements and, of
    them, plotly charts too); `!` marks a ratio over the target (2x cold, 1.5x warm, and for a
    switch); a run from before switches were timed shows "-"."""
    empty = result["empty"]
    switch = f", {empty['switch']:.3f} s switched to" if "switch" in empty else ""
    lines = [
        f"  browser, against an empty Streamlit page ({empty['cold']:.3f} s cold, "
        f"{empty['warm']:.3f} s warm{switch})",
        f"  {'role':11}{'page':16}{'cold x':>8}{'warm x':>8}{'switch x':>9}{'cold s':>8}"
        f"{'warm s':>8}"
        f"{'run s':>8}{'ws kB':>9}{'df rows':>9}{'points':>9}{'elems':>7}{'charts':>7}",
    ]
    for row in ratio_rows(result):
        cold_mark = "!" if row["cold_ratio"] > cold_limit else " "
        warm_mark = "!" if row["warm_ratio"] > warm_limit else " "
        switched = (
            "-"
            if row["switch_ratio"] is None
            else (f"{row['switch_ratio']:.2f}" + ("!" if row["switch_ratio"] > warm_limit else " "))
        )
        failed = " ERROR" if row["errors"] else ""
        lines.append(
            f"  {row['role']:11}{row['page']:16}{row['cold_ratio']:>7.2f}{cold_mark}"
            f"{row['warm_ratio']:>7.2f}{warm_mark}{switched:>9}{row['cold']:>8.3f}"
            f"{row['warm']:>8.3f}{row['warm_run']:>8.3f}"
            f"{row['ws_bytes'] / 1000:>9.1f}{row['dataframe_rows']:>9}"
            f"{row['chart_points']:>9}"
            f"{row.get('elements', '-'):>7}{row.get('charts', '-'):>7}{failed}"
        )
    return lines
