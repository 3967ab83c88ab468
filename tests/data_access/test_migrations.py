"""Models and migrations agree on both engines, and a downgrade to base then upgrade works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from data_access.db import make_engine
from data_access.migrate import compare_options, downgrade, upgrade
from data_access.models import Base
from tests.databases import HOW_TO_GET_POSTGRES, create_database, drop_database, postgres_admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    admin = postgres_admin_url()
    if admin is None:
        pytest.skip(HOW_TO_GET_POSTGRES)
    url = create_database(admin, prefix="compliance_migr")
    try:
        yield url
    finally:
        drop_database(admin, url)


def _differences(url: str) -> list:  # type: ignore[type-arg]
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=compare_options())
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_migrations_create_exactly_the_models_schema(fresh_url: str) -> None:
    upgrade(fresh_url)
    assert _differences(fresh_url) == []


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(fresh_url: str) -> None:
    upgrade(fresh_url)
    downgrade(fresh_url, "base")
    engine = make_engine(fresh_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(fresh_url)
    assert _differences(fresh_url) == []
