"""The README stays true: every CLI command and every environment setting the code reads is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from dashboard.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths(group: object, prefix: str = "compliance") -> list[str]:
    commands = getattr(group, "commands", {})
    paths: list[str] = []
    for name, command in commands.items():
        path = f"{prefix} {name}"
        paths.extend(_command_paths(command, path) if getattr(command, "commands", None) else [path])
    return paths


def test_every_cli_command_is_in_the_readme() -> None:
    paths = _command_paths(typer.main.get_command(app))
    assert len(paths) >= 6
    missing = [path for path in paths if f"`{path}" not in README]
    assert not missing, f"document these commands in README.md: {missing}"


def test_every_environment_variable_read_by_the_code_is_in_the_readme() -> None:
    read = set()
    for source in [
        *ROOT.glob("dashboard/**/*.py"),
        *ROOT.glob("data_access/**/*.py"),
        *ROOT.glob("tests/*.py"),
    ]:
        read.update(
            re.findall(r"environ(?:\.get)?\(?\[?\s*[\"']([A-Z_]+)[\"']", source.read_text(encoding="utf-8"))
        )
        read.update(re.findall(r"getenv\(\s*[\"']([A-Z_]+)[\"']", source.read_text(encoding="utf-8")))
    assert read, "the scan found no settings at all"
    missing = sorted(name for name in read if f"`{name}`" not in README)
    assert not missing, f"document these settings in README.md: {missing}"


CITING = ["dashboard/**/*.py", "data_access/**/*.py", "tests/**/*.py", "pages/*.py", "README.md", "docs/*.md"]


def test_every_document_the_code_cites_is_in_the_repository() -> None:
    """The rules the code implements are written in docs/ (with their sources): a cited docs/ page
    exists, and no file cites one outside the repository (../shared/...), which a clone does not
    have."""
    cited: dict[str, set[str]] = {}
    outside = []
    for pattern in CITING:
        for source in ROOT.glob(pattern):
            text = source.read_text(encoding="utf-8")
            for name in re.findall(r"\bdocs/([\w./-]+?\.md)\b", text):
                cited.setdefault(name, set()).add(str(source.relative_to(ROOT)))
            if re.search(r"\.\./(?:shared/)?legal-rules", text):
                outside.append(str(source.relative_to(ROOT)))
    assert "legal-rules.md" in cited, "the scan found no citation of the legal rules"
    missing = {name: sorted(files) for name, files in cited.items() if not (ROOT / "docs" / name).is_file()}
    assert not missing, f"cited but not in docs/: {missing}"
    assert not outside, f"these cite a rules document outside the repository: {outside}"
