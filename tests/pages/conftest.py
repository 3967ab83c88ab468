"""AppTest fixtures: a demo database (SQLite) and a signed-in principal per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth.service import Principal
from dashboard.demo.generate import load_demo
from data_access.db import make_engine
from data_access.migrate import upgrade
from data_access.models.enums import Role
from tests.conftest import DEMO_END

ROOT = Path(__file__).resolve().parents[2]
PRINCIPALS = {
    Role.MANAGER: Principal("manager", "Morgan Manager", Role.MANAGER),
    Role.EXECUTIVE: Principal("executive", "Evelyn Executive", Role.EXECUTIVE),
    Role.AUDITOR: Principal("auditor", "Avery Auditor", Role.AUDITOR),
    Role.ADMIN: Principal("admin", "Alex Admin", Role.ADMIN),
}


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'demo.db'}"
    upgrade(url)
    engine = make_engine(url)
    load_demo(engine, users=200, days=120, seed=5, end=DEMO_END)
    engine.dispose()
    return url


@pytest.fixture
def app_for(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """Build an AppTest of a script, signed in as `role` (or anonymous), on the demo database."""
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    monkeypatch.chdir(ROOT)

    def build(script: str = "streamlit_app.py", role: Role | None = None) -> AppTest:
        app = AppTest.from_file(str(ROOT / script), default_timeout=30)
        if role is not None:
            app.session_state["principal"] = PRINCIPALS[role]
        return app

    yield build
