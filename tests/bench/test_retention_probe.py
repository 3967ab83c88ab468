"""The retention probe at a tiny size (`python -m bench.run --only retention` runs it on the
benchmark datasets): it purges a copy, never the dataset itself, removes exactly what the check
counted so that nothing is past retention after, and the table prints the figures per category. Both
engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench.datasets import PG_SERVER
from bench.retention import retention_purge
from bench.run import table
from dashboard.demo.bulk import load_bulk
from data_access.db import make_engine
from data_access.migrate import upgrade
from tests.databases import create_database, drop_database, postgres_admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
def dataset(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A bulk dataset of 200 people and a year of log lines, in a database of its own (a copy needs
    its source free of other sessions)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'small.db'}"
    else:
        admin = postgres_admin_url()
        if admin is None:
            pytest.skip("no PostgreSQL")
        url = create_database(admin, "retention_probe")
    upgrade(url)
    engine = make_engine(url)
    load_bulk(engine, users=200, log_lines=4_000, events=1_000)
    engine.dispose()
    yield url
    if request.param == "postgresql":
        drop_database(str(postgres_admin_url()), url)


def test_the_purge_runs_on_a_copy_and_leaves_nothing_past_retention(dataset: str) -> None:
    first = retention_purge(dataset)
    assert first["exit_code"] == 0, first
    assert first["after"] == {}
    assert first["before"]["access_log"] > 0 and first["before"]["accounts"] > 0
    assert {c["category"]: c["records"] for c in first["categories"]} == first["before"]
    again = retention_purge(dataset)  # the dataset itself was not purged: the same counts on a new copy
    assert again["before"] == first["before"]
    copy = make_url(dataset)
    if copy.get_backend_name() == "sqlite":
        assert not Path(str(copy.database).removesuffix(".db") + "-retention.db").exists()
    else:
        admin = make_engine(PG_SERVER)
        with admin.connect() as connection:
            assert (
                connection.exec_driver_sql(
                    "SELECT count(*) FROM pg_database WHERE datname = %s",
                    (f"{copy.database}_retention",),
                ).scalar()
                == 0
            )
        admin.dispose()
    engine_name = "postgresql" if copy.get_backend_name() == "postgresql" else "sqlite"
    printed = table(
        {f"{engine_name}/small": {"probes": {}, "build_seconds_by_phase": None, "retention": first}}
    )
    assert "after 0" in printed and "NOT ZERO" not in printed
    assert any(line.split()[:1] == ["access_log"] for line in printed.splitlines())
    assert f"python -m bench.run --only retention --sizes large --engines {engine_name}" in printed
