"""The layers hold: every SQL statement and every session write lives in data_access (issue 26).

import-linter (.importlinter, run by `make lint`) proves the package layers, the absence of cycles and where
Streamlit is imported; it sees modules, not calls, so this test reads the code itself: outside data_access no
SQLAlchemy statement is built (select/insert/update/delete/text/exists/union) or run through a session
(execute/scalar/scalars/get/query), and no session is written to (add/add_all/delete/flush/merge).

Run as `python -m tests.test_layers` to print the counts.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = frozenset({"select", "insert", "update", "delete", "text", "exists", "union", "union_all"})
SESSION_WRITES = frozenset({"add", "add_all", "delete", "flush", "merge"})
SESSION_READS = frozenset(
    {"execute", "scalar", "scalars", "get", "get_one", "query"}
)  # each runs a statement
# The application outside data_access: the domain and UI packages, the page scripts and the server. Tests and
# bench/ (which times statements on purpose) are not the application.
SCANNED = ("dashboard", "pages", "serve.py", "streamlit_app.py")


def _is_session(node: ast.expr) -> bool:
    """A receiver named like a session: `session`, `write_session`, `s` (the import kinds' lambdas)."""
    return isinstance(node, ast.Name) and ("session" in node.id.lower() or node.id == "s")


def sql_sites(source: str) -> Counter[str]:
    """How many statements are built and session writes made in this module's code."""
    tree = ast.parse(source)
    names: set[str] = set()  # statement functions imported from sqlalchemy, under the name they are bound to
    modules: set[str] = set()  # `import sqlalchemy as sa`
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in STATEMENTS}
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name for alias in node.names if alias.name.split(".")[0] == "sqlalchemy"
            }
    found: Counter[str] = Counter()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            found["statements"] += 1
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.attr in STATEMENTS and func.value.id in modules:
                found["statements"] += 1
            elif func.attr in SESSION_WRITES and _is_session(func.value):
                found["writes"] += 1
            elif func.attr in SESSION_READS and _is_session(func.value):
                found["statements"] += 1
    return found


def _files(roots: tuple[str, ...]) -> list[Path]:
    paths: list[Path] = []
    for root in roots:
        path = ROOT / root
        paths.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [p for p in paths if "migrations" not in p.parts]


def outside_data_access() -> dict[str, tuple[int, int]]:
    counts = {}
    for path in _files(SCANNED):
        found = sql_sites(path.read_text(encoding="utf-8"))
        if found:
            counts[path.relative_to(ROOT).as_posix()] = (found["statements"], found["writes"])
    return counts


def test_the_scanner_sees_statements_and_writes_however_they_are_imported() -> None:
    source = (
        "import sqlalchemy as sa\nfrom sqlalchemy import select as pick, func\n"
        "def f(session, s, other):\n"
        "    session.execute(pick(1)); sa.text('x'); sa.update(t); func.count()\n"
        "    session.add(x); s.flush(); other.add(y); write_session.delete(z)\n"
        "    session.get(Person, 1); session.get_bind(); other.get('k')\n"
    )
    # other.add and other.get are no session's; func.count and get_bind run no statement
    assert sql_sites(source) == Counter(statements=5, writes=3)  # execute(pick(1)) builds one and runs one


def test_no_sql_statement_or_session_write_outside_data_access() -> None:
    found = {path: counts for path, counts in outside_data_access().items() if any(counts)}
    assert not found, (
        "build and run these statements, and make these session writes, in the feature's data_access "
        f"module instead (file: (statements, writes)): {found}"
    )


def test_page_scripts_and_the_server_construct_no_sql_and_import_no_models() -> None:
    """pages/ and serve.py are scripts, outside import-linter's packages: they read through dashboard.ui,
    the services and data_access.queries, never the ORM models."""
    for path in _files(("pages", "serve.py", "streamlit_app.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not {m for m in imported if m == "data_access.models" or m.startswith("sqlalchemy.orm")}, path


def _imports_suppression(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == SUPPRESSION for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module in (SUPPRESSION, "dashboard.privacy"):
            if node.module == SUPPRESSION or any(a.name == "suppression" for a in node.names):
                return True
    return False


SUPPRESSION = "dashboard.privacy.suppression"


def test_only_the_presentation_function_decides_suppression() -> None:
    """Pages, UI modules and exports ask dashboard.privacy.presentation (present, present_count,
    present_chart_counts), which decides by the principal's permission; none calls the suppression
    rule itself (the .importlinter contract *suppression*: packages; pages are scripts)."""
    importers = [
        str(path.relative_to(ROOT))
        for path in _files(SCANNED)
        if path != ROOT / "dashboard/privacy/presentation.py"
        and _imports_suppression(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not importers, f"use dashboard.privacy.presentation instead: {importers}"


def test_import_contracts_hold() -> None:
    """The layers, no cycles, Streamlit only in the UI (.importlinter): the same check `make lint` runs."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a test dependency (pyproject [test]); `make install`"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("package", ["dashboard/ui", "dashboard/ingest", "dashboard/fulfilment"])
def test_layer_packages_are_packages(package: str) -> None:
    """import-linter skips a directory without __init__.py: the UI was once invisible to the contracts."""
    assert (ROOT / package / "__init__.py").is_file()


if __name__ == "__main__":
    counts = outside_data_access()
    for path, (statements, writes) in sorted(counts.items()):
        print(f"{statements:3} {writes:3}  {path}")
    inside = Counter[str]()
    for path in _files(("data_access",)):
        inside.update(sql_sites(path.read_text(encoding="utf-8")))
    print(
        f"outside data_access: {sum(c[0] for c in counts.values())} statements, "
        f"{sum(c[1] for c in counts.values())} session writes in {len(counts)} files; "
        f"inside: {inside['statements']} statements, {inside['writes']} session writes"
    )
