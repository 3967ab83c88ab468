"""`make screenshots`: serve a fresh demo database and capture every page per role into docs/screenshots/.

Run it after changing a page, then open the PNGs and look at them; the README shows some of them.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dashboard.checks.overview_trends import keep_month_end_verdicts
from dashboard.demo.generate import load_demo
from dashboard.ui.navigation import pages_for
from data_access.db import make_engine, transaction
from data_access.migrate import upgrade
from data_access.models.enums import Role
from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_app
from tests.e2e.test_request_flow import settled

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "demo-only-password"


def capture(roles: list[Role]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        sys.exit("Debian chromium is needed: apt-get install chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        upgrade(url)
        engine = make_engine(url)
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        load_demo(engine, users=2000, days=180, seed=7, end=end)
        with transaction(
            engine
        ) as session:  # as `compliance demo` does: the Overview's trend of checks passing
            keep_month_end_verdicts(
                session=session, first=(end - timedelta(days=180)).date(), end=end, tz="UTC"
            )
        engine.dispose()
        with running_app(url) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            sign_in = browser.new_page(viewport={"width": 1440, "height": 800})
            sign_in.goto(base)
            sign_in.get_by_label("Username", exact=True).wait_for()
            written.append(OUT / "sign-in.png")
            sign_in.screenshot(path=str(written[-1]))
            sign_in.close()
            for role in roles:
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(base)
                page.get_by_label("Username", exact=True).fill(role.value)
                page.get_by_label("Password", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("link", name=pages_for(role)[0].title).first.wait_for()
                for spec in pages_for(role):
                    page.get_by_role("link", name=spec.title).click()
                    page.get_by_role("heading", level=1).first.wait_for()
                    settled(page)  # charts drawn, not their loading skeletons (the usage shots once were)
                    path = OUT / f"{spec.slug}-{role.value}.png"
                    page.screenshot(path=str(path), full_page=True)
                    written.append(path)
                if role in (Role.MANAGER, Role.AUDITOR):
                    written.append(_person_page(page, role))
                page.close()
            browser.close()
    return written


def _person_page(page, role: Role) -> Path:  # type: ignore[no-untyped-def]
    """The per-user inventory of a demo person with a long history (user id 1), as this role sees it."""
    page.get_by_role("link", name="Data inventory").click()
    page.get_by_role("textbox", name="Find a person").fill("1")
    page.keyboard.press("Enter")
    page.get_by_text("Data categories held").wait_for(
        timeout=30_000
    )  # settled() alone can run before the rerun
    settled(page)
    path = OUT / f"inventory-person-{role.value}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


if __name__ == "__main__":
    wanted = [Role(arg) for arg in sys.argv[1:]] or list(Role)
    for path in capture(wanted):
        print(path)
