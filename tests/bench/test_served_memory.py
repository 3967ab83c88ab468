"""The served-app memory probe: four users signed in on one server, its peak read from /proc."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.served_memory import SERVED_TARGET_MB, peak_mb, served_app_peak, served_line
from dashboard.demo.generate import load_demo
from data_access.db import make_engine
from data_access.migrate import upgrade
from tests.conftest import DEMO_END
from tests.databases import in_ci
from tests.e2e.server import HOW_TO_GET_CHROMIUM, chromium_path


def test_peak_is_read_from_proc_and_flagged_over_target() -> None:
    assert peak_mb(os.getpid()) > 10
    figures = {"target_mb": SERVED_TARGET_MB, "after_start_mb": 90.0, "after_sign_in_mb": 200.0}
    assert "OVER TARGET" not in served_line({**figures, "peak_mb": 300.0})
    assert served_line({**figures, "peak_mb": 1200.0}).endswith("OVER TARGET")


@pytest.mark.browser
def test_four_users_on_every_page_raise_the_servers_peak(tmp_path: Path) -> None:
    if chromium_path() is None:
        if in_ci():
            pytest.fail(HOW_TO_GET_CHROMIUM)
        pytest.skip(HOW_TO_GET_CHROMIUM)
    url = f"sqlite:///{tmp_path / 'served.db'}"
    upgrade(url)
    engine = make_engine(url)
    load_demo(engine, users=200, days=60, seed=5, end=DEMO_END)
    engine.dispose()

    figures = served_app_peak(url, rounds=1)

    assert 0 < figures["after_start_mb"] <= figures["after_sign_in_mb"] <= figures["peak_mb"]
    assert figures["peak_mb"] > figures["after_start_mb"]  # the pages were drawn on this server
