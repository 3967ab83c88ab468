"""The SQLite file holds every person's data: it and its -wal/-shm/-journal files are readable by their owner
only (0600), and the directory created for it by its owner only (0700), whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from data_access.db import make_engine
from data_access.migrate import upgrade


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> object:
    """The usual 022 umask, under which SQLite creates files readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_database_its_sidecars_and_its_directory_are_private(
    tmp_path: Path, open_umask: object
) -> None:
    path = tmp_path / "data" / "compliance.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:  # a write, so the WAL and its index exist
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
            assert all(p.exists() for p in sidecars)
            assert {p.name: _mode(p) for p in (path, *sidecars)} == {p.name: 0o600 for p in (path, *sidecars)}
    finally:
        engine.dispose()
    assert _mode(path.parent) == 0o700


def test_an_existing_world_readable_database_is_made_private_when_opened(
    tmp_path: Path, open_umask: object
) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    for file in path.parent.glob("old.db*"):
        file.chmod(0o644)
    path.with_name("old.db-journal").write_bytes(b"")  # a rollback journal left by a bulk load
    path.with_name("old.db-journal").chmod(0o644)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert {p.name: _mode(p) for p in path.parent.glob("old.db*")} == {
            p.name: 0o600 for p in path.parent.glob("old.db*")
        }
    finally:
        engine.dispose()
