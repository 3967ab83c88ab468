"""Worker run in its own process per dataset: render every page twice with AppTest and report times
and peak RSS.

A separate process gives an empty Streamlit cache (the first render computes everything) and an honest peak
memory figure for the app's own work; what the OS has cached is bench.cache_state's business.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.auth.service import Principal
from dashboard.ui.navigation import PAGES
from data_access.models.enums import Role

ROOT = Path(__file__).resolve().parents[1]
MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)


def render_all() -> dict[str, dict[str, float]]:
    timings: dict[str, dict[str, float]] = {}
    os.chdir(ROOT)
    _warm_up()
    for page in PAGES:
        if page.slug == "admin":
            continue
        app = AppTest.from_file(str(ROOT / page.script), default_timeout=600)
        app.session_state["principal"] = MANAGER
        started = time.perf_counter()
        app.run()
        first = time.perf_counter() - started
        started = time.perf_counter()
        app.run()
        warm = time.perf_counter() - started
        timings[page.slug] = {"first": first, "warm": warm, "errors": float(len(app.exception))}
    return timings


def peak_rss_mb() -> float:
    """This process's own peak resident memory. Not ru_maxrss: Linux carries that over fork and exec, so a
    worker started by a parent that had just built a 1M-person dataset reported the parent's 7.6 GB."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):  # not Linux: the rusage figure, with the caveat above
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_up() -> None:
    """Import what a running server has already imported (Streamlit's runtime, plotly, pandas), by
    rendering the sign-in page once, so the first page measured is not charged with the process's
    start-up."""
    import plotly.express  # noqa: F401 - imported for its side effect: loaded once per server process

    AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600).run()


if __name__ == "__main__":
    os.environ["DATABASE_URL"] = sys.argv[1]
    result = {"pages": render_all(), "peak_rss_mb": peak_rss_mb()}
    print(json.dumps(result))
