"""`compliance staff add|passwd|role|disable|enable|list|check-production`: staff accounts from the shell.

Passwords come from a hidden prompt (typed twice) or, for scripts, from COMPLIANCE_NEW_PASSWORD; they are
never echoed, logged or written anywhere but as an Argon2id hash.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import typer
from sqlalchemy.orm import Session

from dashboard.cli.operator import cli_principal, command_session
from dashboard.services.staff import (
    StaffInputError,
    change_password,
    change_role,
    create_account,
    enabled_demo_accounts,
    list_accounts,
    set_enabled,
)
from data_access.models.enums import Role

app = typer.Typer(help="Staff accounts of the dashboard.", no_args_is_help=True)
PASSWORD_ENV = "COMPLIANCE_NEW_PASSWORD"


@app.command()
def add(
    username: str,
    role: Role = typer.Option(..., help="manager, executive, auditor or admin."),
    name: str = typer.Option("", help="Display name."),
    email: str | None = typer.Option(None, help="Email (used to match single sign-on)."),
    sso_only: bool = typer.Option(False, "--sso-only", help="No password: sign in only through SSO."),
) -> None:
    """Create an account."""
    password = None if sso_only else _password()
    _act(
        lambda s: create_account(
            session=s,
            principal=cli_principal(Role.ADMIN),
            username=username,
            display_name=name,
            role=role,
            password=password,
            email=email,
        ),
        f"created {username} ({role})",
    )


@app.command()
def passwd(username: str) -> None:
    """Set a new password (also clears a lockout)."""
    password = _password()
    _act(
        lambda s: change_password(
            session=s, principal=cli_principal(Role.ADMIN), username=username, password=password
        ),
        f"password of {username} changed",
    )


@app.command()
def role(username: str, new_role: Role = typer.Argument(..., metavar="ROLE")) -> None:
    """Give an account another role."""
    _act(
        lambda s: change_role(
            session=s, principal=cli_principal(Role.ADMIN), username=username, role=new_role
        ),
        f"{username} is now {new_role}",
    )


@app.command()
def disable(username: str) -> None:
    """Disable an account: it can no longer sign in."""
    _act(
        lambda s: set_enabled(
            session=s, principal=cli_principal(Role.ADMIN), username=username, enabled=False
        ),
        f"{username} disabled",
    )


@app.command()
def enable(username: str) -> None:
    """Enable a disabled account again."""
    _act(
        lambda s: set_enabled(
            session=s, principal=cli_principal(Role.ADMIN), username=username, enabled=True
        ),
        f"{username} enabled",
    )


@app.command("list")
def list_() -> None:
    """List accounts (never their passwords)."""
    rows = _read(lambda s: list_accounts(session=s))
    typer.echo(f"{'username':20} {'role':10} {'enabled':8} {'demo':5} {'last sign-in':17} email")
    for r in rows:
        last = f"{r.last_login_at:%Y-%m-%d %H:%M}" if r.last_login_at else "never"
        typer.echo(
            f"{r.username:20} {r.role:10} {'yes' if r.enabled else 'no':8} {'yes' if r.demo else 'no':5} "
            f"{last:17} {r.email or ''}"
        )


@app.command("check-production")
def check_production() -> None:
    """Exit 1 while any demo account is enabled (run it before going live)."""
    demo = _read(lambda s: enabled_demo_accounts(session=s))
    if demo:
        typer.echo(
            f"demo accounts still enabled: {', '.join(demo)}; disable them: compliance staff disable NAME",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo("no demo account is enabled")


def _password() -> str:
    # Read here, not in dashboard.settings: a per-command secret input (a script's answer to the
    # prompt), not a deployment choice, so only this command reads it and no process keeps it.
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _act(action: Callable[[Session], Any], message: str) -> None:
    try:
        with command_session() as session:
            action(session)
    except StaffInputError as exc:
        typer.echo(f"error: {exc.field}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(message)


def _read(query: Callable[[Session], Any]) -> Any:
    with command_session() as session:
        return query(session)
