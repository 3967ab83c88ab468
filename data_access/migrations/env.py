"""Alembic environment: migrates the URL it is given, against the models' metadata."""

from __future__ import annotations

from typing import Any

from alembic import context

from data_access.db import make_engine
from data_access.migrate import compare_options
from data_access.models import Base
from data_access.types import UTCDateTime

target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> Any:
    """Write UTCDateTime as a plain timestamptz, so migrations do not import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        **compare_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
