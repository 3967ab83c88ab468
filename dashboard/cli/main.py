"""Entry point of the `compliance` CLI (console script in pyproject.toml).

Subcommands are imported when they are run (or their help is shown), not at start: importing them all loaded
pandas, pyarrow, fpdf, alembic and the rest for every command, about 200 MB, and `compliance ingest` forks its
parsing workers from that process (issue 23: peak memory of an import at most 300 MB). The `compliance --help`
listing still imports every subcommand, for its one-line help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from functools import cache
from importlib import import_module
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup


def _attribute(module: str, name: str) -> Callable[[], Any]:
    return lambda: getattr(import_module(f"dashboard.cli.{module}"), name)


@cache
def _requests_app() -> typer.Typer:
    """`compliance requests`: the deadline command of dashboard.cli.deadlines and the workflow commands."""
    from dashboard.cli import deadlines, requests

    deadlines.requests_app.command("new")(requests.new)
    deadlines.requests_app.command("import-opendsr")(requests.import_opendsr)
    deadlines.requests_app.command("export-opendsr")(requests.export_opendsr)
    deadlines.requests_app.command("auto-close")(requests.auto_close)
    return deadlines.requests_app


@cache
def _optouts_app() -> typer.Typer:
    """`compliance optouts`: the deadline command of dashboard.cli.deadlines and the opt-out commands."""
    from dashboard.cli import deadlines, optouts

    deadlines.optouts_app.command("report")(optouts.report)
    deadlines.optouts_app.command("import")(optouts.import_suppression)
    deadlines.optouts_app.command("honour")(optouts.honour)
    return deadlines.optouts_app


# Name -> what it runs: a command function or a Typer group, found when first needed. In the order of the help
# listing (Typer lists a group's commands before its sub-groups).
SUBCOMMANDS: dict[str, Callable[[], Any]] = {
    "demo": _attribute("demo", "demo"),
    "demo-bulk": _attribute("demo", "demo_bulk"),
    "check": _attribute("check", "check"),
    "inventory": _attribute("inventory", "inventory"),
    "import": _attribute("imports", "import_command"),
    "sync": _attribute("sync", "sync"),
    "db": _attribute("db", "app"),
    "ingest": _attribute("ingest", "app"),
    "staff": _attribute("staff", "app"),
    "audit": _attribute("audit", "app"),
    "export": _attribute("export", "app"),
    "incidents": _attribute("incidents", "app"),
    "retention": _attribute("retention", "app"),
    "requests": _requests_app,
    "optouts": _optouts_app,
}


def _build(name: str) -> Any:
    """The click command Typer would have built had `name` been registered on `app` directly."""
    target = SUBCOMMANDS[name]()
    holder = typer.Typer(pretty_exceptions_enable=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _Subcommands(MutableMapping[str, Any]):
    """A group's name -> click command, each built when first looked up; iterating gives names
    without building."""

    def __init__(self, built: Mapping[str, Any]) -> None:
        self._built = dict(built)
        self._names = [*built, *(name for name in SUBCOMMANDS if name not in built)]

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._names:
                raise KeyError(name)
            self._built[name] = _build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command
        if name not in self._names:
            self._names.append(name)

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


class LazyGroup(TyperGroup):
    """The top-level group: knows every subcommand by name and imports one only when it is looked up."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Subcommands(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: TyperGroup's reads every command


def _no_options() -> None:
    """Typer builds a group (not a lone command) only for an app with a callback or registered commands."""


app = typer.Typer(
    cls=LazyGroup,
    callback=_no_options,
    help="Interface Billing compliance dashboard: data, deadlines, checks and exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

if __name__ == "__main__":
    app()
