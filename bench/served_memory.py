"""Peak memory of the served app (issue 27, goal 3: at most 1 GB at 1M people with four users signed in).

The app is served as `make run` serves it; four people sign in, one per role, each in their own browser
context, and each visits every page their role may open, twice over. The figure is the Streamlit server's
peak resident set (VmHWM), which holds every session's state and the caches the pages share.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from bench.browser import chromium, new_page
from dashboard.ui.navigation import pages_for
from data_access.models.enums import Role
from tests.e2e.server import SETTLED, running_app
from tests.e2e.test_browser import sign_in

SERVED_TARGET_MB = 1000
USERS = (Role.MANAGER, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)
VISIT_TIMEOUT_MS = 120_000


def served_app_peak(database_url: str, rounds: int = 2) -> dict[str, Any]:
    """The server's peak memory after start, after the four sign-ins and after every round of visits."""
    with chromium() as browser, running_app(database_url) as base:
        pid = _server_pid(base)
        figures: dict[str, Any] = {"target_mb": SERVED_TARGET_MB, "after_start_mb": peak_mb(pid)}
        users = []
        for role in USERS:
            context, page, _ = new_page(browser)
            sign_in(page, base, role.value, landing=pages_for(role)[0].title)
            users.append((role, context, page))
        figures["after_sign_in_mb"] = peak_mb(pid)
        for _ in range(rounds):
            for role, _, page in users:
                for spec in pages_for(role):
                    page.goto(f"{base}/{spec.slug}")
                    page.wait_for_function(SETTLED, timeout=VISIT_TIMEOUT_MS)
        figures["peak_mb"] = peak_mb(pid)
        for _, context, _ in users:
            context.close()
    return figures


def peak_mb(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"process {pid} reports no VmHWM")


def served_line(figures: dict[str, Any]) -> str:
    """One line of the `make bench` table."""
    over = " OVER TARGET" if figures["peak_mb"] > figures["target_mb"] else ""
    return (
        f"  served app, {len(USERS)} users on every page: peak {figures['peak_mb']:.0f} MB "
        f"(after start {figures['after_start_mb']:.0f}, after sign-in {figures['after_sign_in_mb']:.0f}; "
        f"target {figures['target_mb']} MB){over}"
    )


def _server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    found = subprocess.run(
        ["pgrep", "-f", f"serve.py --server.port {port}"], capture_output=True, text=True, check=True
    )
    return int(found.stdout.split()[0])
