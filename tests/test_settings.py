"""The environment is read in one place (dashboard.settings), once; a bad value is refused."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.settings import (
    MAX_INPUT_BYTES_DEFAULT,
    SettingError,
    clear_settings,
    get_settings,
    read_settings,
)

KEYS = {"COMPLIANCE_AUDIT_KEY": "a" * 32, "COMPLIANCE_PSEUDONYM_KEY": "p" * 32}
ROOT = Path(__file__).resolve().parents[1]
SCANNED = ["dashboard/**/*.py", "data_access/**/*.py", "pages/*.py", "serve.py", "streamlit_app.py"]
# Modules that may touch os.environ besides dashboard.settings, and why (bench/ and tests/ are not
# scanned: they build the environment of the processes they start).
ALLOWED = {
    "dashboard/settings.py": "the settings module itself",
    "dashboard/cli/staff.py": "COMPLIANCE_NEW_PASSWORD: a per-command secret input, not a setting",
    "dashboard/web/client_address.py": "writes uvicorn's FORWARDED_ALLOW_IPS, reads none of ours",
}


ENVIRONMENT_NAMES = ("environ", "environb", "getenv", "getenvb", "putenv", "unsetenv")


def _environment_uses(path: Path) -> list[int]:
    """Lines that use os.environ, os.getenv or os.putenv, or import environ/getenv from os."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT_NAMES:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            lines += [node.lineno for alias in node.names if alias.name in ENVIRONMENT_NAMES]
    return lines


def test_no_module_but_the_settings_reads_the_environment() -> None:
    readers = {}
    for pattern in SCANNED:
        for path in sorted(ROOT.glob(pattern)):
            name = str(path.relative_to(ROOT))
            if name not in ALLOWED and (lines := _environment_uses(path)):
                readers[name] = lines
    assert not readers, f"read the environment through dashboard.settings.get_settings(): {readers}"


def test_the_environment_is_read_once_until_cleared() -> None:
    first = get_settings()
    with pytest.MonkeyPatch.context() as plain:  # pytest's own, which does not clear the settings
        plain.setenv("COMPLIANCE_TZ", "Europe/Dublin")
        assert get_settings() is first and first.controller_tz != "Europe/Dublin"
        clear_settings()
        assert get_settings().controller_tz == "Europe/Dublin"
    clear_settings()


def test_the_defaults() -> None:
    settings = read_settings(KEYS)
    assert (settings.environment, settings.controller_tz) == ("development", "UTC")
    assert settings.database_url is None
    assert settings.trusted_proxies == () and settings.max_input_bytes == MAX_INPUT_BYTES_DEFAULT
    assert not settings.is_production


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("COMPLIANCE_ENV", "prod"),
        ("COMPLIANCE_TZ", "Mars/Olympus"),
        ("COMPLIANCE_TRUSTED_PROXIES", "10.0.0.1, not-an-ip"),
        ("COMPLIANCE_MAX_INPUT_BYTES", "lots"),
        ("COMPLIANCE_MAX_INPUT_BYTES", "0"),
    ],
)
def test_a_bad_value_is_refused_by_name(variable: str, value: str) -> None:
    with pytest.raises(SettingError, match=variable):
        read_settings(KEYS | {variable: value})
