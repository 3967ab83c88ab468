"""Who acts when the CLI writes: the shell user (a manager, or an admin for staff accounts), named in the
audit log as `cli:<user>`.

Whoever can run the CLI on the server can read the database directly, so the CLI does not ask for
a dashboard sign-in; it does record who ran each command.
"""

from __future__ import annotations

import getpass

from dashboard.auth.service import Principal
from data_access.models.enums import Role


def cli_principal(role: Role = Role.MANAGER) -> Principal:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Principal(username=f"cli:{user}"[:64], display_name=f"command line ({user})", role=role)
