"""Who acts when the CLI writes: the shell user (a manager, or an admin for staff accounts), named in the
audit log as `cli:<user>`.

Whoever can run the CLI on the server can read the database directly, so the CLI does not ask for
a dashboard sign-in; it does record who ran each command.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.settings import AuditKeyError
from data_access.db import database_url, make_engine, session_factory, transaction
from data_access.models.enums import Role


def cli_principal(role: Role = Role.MANAGER) -> Principal:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Principal(username=f"cli:{user}"[:64], display_name=f"command line ({user})", role=role)


@contextmanager
def command_session(*, write: bool = True) -> Iterator[Session]:
    """The DATABASE_URL database for one command: a transaction committed at the end (or a read-only session),
    with the engine disposed either way; a missing audit key ends it with exit 2 and the setting to fix."""
    engine = make_engine(database_url())
    try:
        if write:
            with transaction(engine) as session:
                yield session
        else:
            with session_factory(engine)() as session:
                yield session
    except AuditKeyError as missing:  # production without COMPLIANCE_AUDIT_KEY: a setting to fix, not a crash
        typer.echo(f"error: {missing}", err=True)
        raise typer.Exit(2) from missing
    finally:
        engine.dispose()
