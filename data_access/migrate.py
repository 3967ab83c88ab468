"""Alembic, driven from code: `compliance db upgrade` and the tests use these, no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PARTITION_PREFIXES = ("access_log_", "usage_events_")
# The person search index (migration 0019): SQLite's FTS5 table and its shadow tables, PostgreSQL's trigram
# indexes. Not expressible in the models, so never compared with them.
SEARCH_OBJECTS_PREFIX = "contact_search"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Never reflect the monthly and default partitions of the large tables (created on demand), nor
    the person search index's objects."""
    if name is not None and name.startswith(SEARCH_OBJECTS_PREFIX):
        return False
    return not (type_ == "table" and name is not None and name.startswith(PARTITION_PREFIXES))


def compare_options() -> dict[str, Any]:
    """How models and database are compared: by migrations' autogenerate and by the agreement test."""
    return {"compare_type": True, "include_name": include_name}


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
