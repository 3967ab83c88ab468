"""Changing the environment in a test: dashboard.settings reads it once per process, so it must be
told to read it again."""

from __future__ import annotations

import os

import pytest

from dashboard.settings import clear_settings


class SettingsMonkeyPatch(pytest.MonkeyPatch):
    """pytest's monkeypatch, except that changing the environment or the working directory (where
    .streamlit/secrets.toml is read) makes dashboard.settings read them again, as a new process
    would. tests/conftest.py makes it the `monkeypatch` fixture."""

    def setenv(self, name: str, value: str, prepend: str | None = None) -> None:
        super().setenv(name, value, prepend)
        clear_settings()

    def delenv(self, name: str, raising: bool = True) -> None:
        super().delenv(name, raising)
        clear_settings()

    def chdir(self, path: str | os.PathLike[str]) -> None:
        super().chdir(path)
        clear_settings()

    def undo(self) -> None:
        super().undo()
        clear_settings()
