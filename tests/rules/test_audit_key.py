"""Where the audit key comes from (item 7): the environment, then .streamlit/secrets.toml, then, in
development only, a generated file readable by its owner alone; production refuses to run without a
real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.settings import AuditKeyError, KeySettingError, audit_key

LONG = "k" * 40


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPLIANCE_AUDIT_KEY", raising=False)
    monkeypatch.delenv("COMPLIANCE_ENV", raising=False)
    return tmp_path


def test_the_environment_comes_first_then_secrets_toml(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (elsewhere / ".streamlit").mkdir()
    (elsewhere / ".streamlit" / "secrets.toml").write_text(f'[audit]\nkey = "{"s" * 40}"\n')
    monkeypatch.setenv("COMPLIANCE_AUDIT_KEY", LONG)
    assert audit_key() == LONG.encode()
    monkeypatch.delenv("COMPLIANCE_AUDIT_KEY")
    assert audit_key() == b"s" * 40
    assert not (elsewhere / "data").exists()


def test_a_broken_secrets_toml_is_named_with_its_line(elsewhere: Path) -> None:
    (elsewhere / ".streamlit").mkdir()
    (elsewhere / ".streamlit" / "secrets.toml").write_text('[audit]\nkey = "unterminated\n')
    with pytest.raises(KeySettingError, match=r"secrets\.toml.*line 2"):  # it holds both keys
        audit_key()


def test_development_generates_a_key_file_only_its_owner_can_read(elsewhere: Path) -> None:
    first = audit_key()
    path = elsewhere / "data" / "audit.key"
    assert len(first) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert audit_key() == first  # generated once, then reused


def test_production_refuses_a_missing_or_short_key(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLIANCE_ENV", "production")
    with pytest.raises(AuditKeyError, match="COMPLIANCE_AUDIT_KEY"):
        audit_key()
    assert not (elsewhere / "data").exists()
    monkeypatch.setenv("COMPLIANCE_AUDIT_KEY", "too short")
    with pytest.raises(AuditKeyError, match="32 characters"):
        audit_key()
