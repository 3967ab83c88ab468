"""Fixtures shared by every layer: engines on SQLite and PostgreSQL, a clean schema per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from data_access import db
from data_access.db import make_engine, session_factory
from data_access.migrate import upgrade
from data_access.models import Base
from tests.databases import HOW_TO_GET_POSTGRES, create_database, drop_database, postgres_admin_url
from tests.environment import SettingsMonkeyPatch
from tests.locking import SHORT_BUSY_TIMEOUT_MS

# No per-example deadline: speed lives in `make bench`, and a deadline fails tests on a busy 2-core machine.
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")

# The audit key seals the audit head and digests typed usernames; without it, development would write one to
# data/audit.key in the working directory. Subprocesses (CLI, served app) inherit it.
os.environ.setdefault("COMPLIANCE_AUDIT_KEY", "test-only audit key, not a secret: 0123456789")
# Likewise the key of the auditors' person pseudonyms (else data/pseudonym.key).
os.environ.setdefault("COMPLIANCE_PSEUDONYM_KEY", "test-only pseudonym key, not a secret: 0123456789")


@pytest.fixture
def monkeypatch() -> Iterator[pytest.MonkeyPatch]:
    """Replaces pytest's own fixture of that name for every test here (see SettingsMonkeyPatch)."""
    patch = SettingsMonkeyPatch()
    yield patch
    patch.undo()


# A fixed "now" for deterministic demo data in tests.
DEMO_END = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    admin = postgres_admin_url()
    if admin is None:
        yield None
        return
    url = create_database(admin)
    try:
        yield url
    finally:
        drop_database(admin, url)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def migrated_engines(sqlite_url: str, postgres_url: str | None) -> Iterator[dict[str, Engine]]:
    """One migrated engine per available backend, created once per run."""
    engines: dict[str, Engine] = {}
    for name, url in (("sqlite", sqlite_url), ("postgresql", postgres_url)):
        if url is not None:
            upgrade(url)
            engines[name] = make_engine(url)
    yield engines
    for engine in engines.values():
        engine.dispose()


def truncate_all(engine: Engine) -> None:
    """Empty every table (children first), so each test starts from a clean schema."""
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, migrated_engines: dict[str, Engine]) -> Engine:
    """A migrated, empty database on each engine; PostgreSQL skips outside CI when no server answers."""
    if request.param not in migrated_engines:
        pytest.skip(HOW_TO_GET_POSTGRES)
    engine = migrated_engines[request.param]
    truncate_all(engine)
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database; tests commit or not as the code under test does."""
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    """Engines made from now on wait this long for a lock (tests.locking), not the production value."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", SHORT_BUSY_TIMEOUT_MS)
    return SHORT_BUSY_TIMEOUT_MS


@pytest.fixture(scope="session")
def policy_file() -> Path:
    return Path(__file__).resolve().parents[1] / "dashboard" / "demo" / "privacy-policy.txt"
