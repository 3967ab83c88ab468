"""Who acts when the CLI writes: the shell user (a manager, or an admin for staff accounts), named in the
audit log as `cli:<login> (uid <id>)`; and what every command does when the database is busy.

Whoever can run the CLI on the server can read the database directly, so the CLI does not ask for
a dashboard sign-in; it records who ran each command: the login name the shell reports (LOGNAME, which the
user can set to anything) and the operating system's user id, which they cannot.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.settings import KeySettingError
from data_access.busy import BUSY_ADVICE, DatabaseBusy
from data_access.db import database_url, make_engine, session_factory, transaction
from data_access.models.enums import Role

EXIT_BUSY = 75  # EX_TEMPFAIL (sysexits.h): try again later; cron and scripts can retry on it
ACTOR_MAX = 64  # audit_log.actor


def cli_principal(role: Role = Role.MANAGER) -> Principal:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    uid = f" (uid {os.getuid()})"
    return Principal(
        username=f"cli:{user[: ACTOR_MAX - 4 - len(uid)]}{uid}",
        display_name=f"command line ({user})",
        role=role,
    )


@contextmanager
def exit_when_busy() -> Iterator[None]:
    """Another writer holds the database: say so in one line on stderr and exit EXIT_BUSY, without a
    traceback.
    The command's transaction was rolled back, so nothing of it was written."""
    try:
        yield
    except DatabaseBusy as exc:
        typer.echo(BUSY_ADVICE, err=True)
        raise typer.Exit(EXIT_BUSY) from exc


@contextmanager
def command_session(*, write: bool = True) -> Iterator[Session]:
    """The DATABASE_URL database for one command: a transaction committed at the end (or a read-only session),
    with the engine disposed either way; a busy database ends the command with EXIT_BUSY, a missing audit key
    with exit 2 and the setting to fix."""
    engine = make_engine(database_url())
    try:
        with exit_when_busy():
            if write:
                with transaction(engine) as session:
                    yield session
            else:
                with session_factory(engine)() as session:
                    yield session
    except KeySettingError as missing:  # production without a key (audit, pseudonym): a setting to fix
        typer.echo(f"error: {missing}", err=True)
        raise typer.Exit(2) from missing
    finally:
        engine.dispose()
