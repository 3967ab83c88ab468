"""Browser fixtures: Debian Chromium driven by Playwright, and the app served on a demo database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.demo.generate import load_demo
from data_access.db import make_engine
from data_access.migrate import upgrade
from tests.conftest import DEMO_END
from tests.databases import HOW_TO_GET_POSTGRES, create_database, drop_database, in_ci, postgres_admin_url
from tests.e2e.server import CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, chromium_path, running_app


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    executable = chromium_path()
    if executable is None:
        if in_ci():
            pytest.fail("CI=true but Debian chromium is missing (apt-get install chromium)")
        pytest.skip(HOW_TO_GET_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'demo.db'}"
    upgrade(url)
    engine = make_engine(url)
    load_demo(engine, users=300, days=120, seed=9, end=DEMO_END)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def app_url(e2e_database_url: str) -> Iterator[str]:
    with running_app(e2e_database_url) as base:
        yield base


@pytest.fixture(scope="session")
def e2e_postgres_url() -> Iterator[str]:
    """The same demo data on a throw-away PostgreSQL database (skipped, outside CI, when no server
    answers)."""
    admin = postgres_admin_url()
    if admin is None:
        pytest.skip(HOW_TO_GET_POSTGRES)
    url = create_database(admin, prefix="compliance_e2e")
    try:
        upgrade(url)
        engine = make_engine(url)
        load_demo(engine, users=300, days=120, seed=9, end=DEMO_END)
        engine.dispose()
        yield url
    finally:
        drop_database(admin, url)


@pytest.fixture(scope="session")
def postgres_app_url(e2e_postgres_url: str) -> Iterator[str]:
    with running_app(e2e_postgres_url) as base:
        yield base


@pytest.fixture(params=["sqlite", "postgresql"])
def written_app(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(base URL, database URL) of the app on each engine, for browser tests that write data."""
    if request.param == "sqlite":
        return request.getfixturevalue("app_url"), request.getfixturevalue("e2e_database_url")
    return request.getfixturevalue("postgres_app_url"), request.getfixturevalue("e2e_postgres_url")
