"""Settings: the one place the app reads its deployment choices from the environment, once, typed.

`get_settings()` reads every variable the first time it is called and keeps the result for the
process; a bad value is refused then, with an error naming the variable. Tests that change the
environment call `clear_settings()`. This module sits below every layer (data_access included) and
imports nothing of ours, so any module may ask it; README "Configuration" lists the variables.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "production")
KEY_MIN_LENGTH = 32
MAX_INPUT_BYTES_DEFAULT = 16 * 2**30
DEV_AUDIT_KEY_FILE = Path("data") / "audit.key"
DEV_PSEUDONYM_KEY_FILE = Path("data") / "pseudonym.key"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"

TrustedProxies = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


class SettingError(ValueError):
    """A setting is unusable; the message names the variable (or the file and line) to fix."""


class KeySettingError(SettingError):
    """A secret key is missing or unusable; the message says which setting to fix."""


class AuditKeyError(KeySettingError):
    """The audit key is missing or unusable."""


class PseudonymKeyError(KeySettingError):
    """The pseudonym key is missing or unusable."""


@dataclass(frozen=True)
class Settings:
    """Every deployment choice, as read from the environment (README "Configuration")."""

    environment: str  # COMPLIANCE_ENV
    controller_tz: str  # COMPLIANCE_TZ
    database_url: str | None  # DATABASE_URL; None: data_access.db's SQLite file
    audit_key: str | None  # COMPLIANCE_AUDIT_KEY, else [audit] key in .streamlit/secrets.toml
    pseudonym_key: str | None  # COMPLIANCE_PSEUDONYM_KEY, else [pseudonym] key there
    trusted_proxies: TrustedProxies  # COMPLIANCE_TRUSTED_PROXIES
    max_input_bytes: int  # COMPLIANCE_MAX_INPUT_BYTES

    @property
    def is_production(self) -> bool:
        """Production refuses demo accounts and made-up keys, and hides tracebacks."""
        return self.environment == "production"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment on the first call."""
    return read_settings(os.environ)


def clear_settings() -> None:
    """Forget the settings read so far: the next get_settings() reads the environment again."""
    get_settings.cache_clear()


def read_settings(environ: Mapping[str, str]) -> Settings:
    """Parse and check every setting in `environ`; a bad one raises SettingError naming it."""
    audit = environ.get("COMPLIANCE_AUDIT_KEY") or None
    pseudonym = environ.get("COMPLIANCE_PSEUDONYM_KEY") or None
    if audit is None or pseudonym is None:
        from_file = _secrets_keys()
        audit, pseudonym = audit or from_file.get("audit"), pseudonym or from_file.get("pseudonym")
    return Settings(
        environment=_environment(environ.get("COMPLIANCE_ENV", "")),
        controller_tz=_time_zone(environ.get("COMPLIANCE_TZ", "")),
        database_url=environ.get("DATABASE_URL") or None,
        audit_key=audit,
        pseudonym_key=pseudonym,
        trusted_proxies=parse_trusted_proxies(environ.get("COMPLIANCE_TRUSTED_PROXIES", "")),
        max_input_bytes=_max_input_bytes(environ.get("COMPLIANCE_MAX_INPUT_BYTES", "")),
    )


def _environment(value: str) -> str:
    environment = value.strip().lower() or "development"
    if environment not in ENVIRONMENTS:
        raise SettingError(f"COMPLIANCE_ENV: {value!r} is not one of {', '.join(ENVIRONMENTS)}")
    return environment


def _time_zone(value: str) -> str:
    zone = value.strip() or "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingError(f"COMPLIANCE_TZ: {zone!r} is not an IANA time zone (e.g. Europe/Dublin)") from exc
    return zone


def parse_trusted_proxies(value: str) -> TrustedProxies:
    """Comma-separated addresses or CIDR networks; a bad entry is named, never silently ignored."""
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise SettingError(
                f"COMPLIANCE_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from exc
    return tuple(networks)


def _max_input_bytes(value: str) -> int:
    """The most one imported file may unpack to (default 16 GiB, some 60 million log lines); past
    it the import stops with an error naming the file, so a gzip bomb cannot run for hours."""
    digits = value.strip().replace("_", "")
    if not digits:
        return MAX_INPUT_BYTES_DEFAULT
    if not digits.isdigit() or int(digits) < 1:
        raise SettingError(f"COMPLIANCE_MAX_INPUT_BYTES: {digits!r} is not a positive number of bytes")
    return int(digits)


def _secrets_keys() -> dict[str, str]:
    """`key` under [audit] and [pseudonym] in .streamlit/secrets.toml (the working directory's,
    as Streamlit reads it)."""
    if not SECRETS_FILE.is_file():
        return {}
    try:
        secrets_toml = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise KeySettingError(f"{SECRETS_FILE}: {exc}") from exc
    keys = {section: secrets_toml.get(section, {}).get("key") for section in ("audit", "pseudonym")}
    return {section: str(key) for section, key in keys.items() if key}


@dataclass(frozen=True)
class _KeySetting:
    variable: str
    section: str  # of .streamlit/secrets.toml
    dev_file: Path
    purpose: str
    error: type[KeySettingError]


_AUDIT = _KeySetting(
    "COMPLIANCE_AUDIT_KEY", "audit", DEV_AUDIT_KEY_FILE, "to seal the audit log", AuditKeyError
)
_PSEUDONYM = _KeySetting(
    "COMPLIANCE_PSEUDONYM_KEY",
    "pseudonym",
    DEV_PSEUDONYM_KEY_FILE,
    "to give auditors a pseudonym per person",
    PseudonymKeyError,
)


def audit_key() -> bytes:
    """The secret that seals the audit head and digests typed usernames (HMAC-SHA256).

    COMPLIANCE_AUDIT_KEY, else `key` under `[audit]` in .streamlit/secrets.toml. In development
    only, a key is generated once into data/audit.key (mode 0600); production refuses to make one
    up: a key on the same disk as the database protects nothing against whoever holds both. Checked
    when first used, so commands that need no key (`compliance db upgrade`) run without one.
    """
    return _key(_AUDIT, get_settings().audit_key)


def pseudonym_key() -> bytes:
    """The secret behind the auditors' person pseudonyms (HMAC-SHA256 of the person id,
    privacy.pseudonyms).

    A key of its own, read like the audit key (COMPLIANCE_PSEUDONYM_KEY, `key` under `[pseudonym]`
    in .streamlit/secrets.toml, data/pseudonym.key in development only): changing it changes every
    pseudonym, which breaks the trail from earlier exports, so it must not turn with the audit key
    (rotated after a suspected leak or a reseal); and whoever holds it can tell who a pseudonym is
    by hashing every id, so it is never shown.
    """
    return _key(_PSEUDONYM, get_settings().pseudonym_key)


def _key(setting: _KeySetting, key: str | None) -> bytes:
    if key is None and not get_settings().is_production:
        key = _development_key(setting.dev_file)
    if key is None:
        raise setting.error(
            f"{setting.variable} is not set (nor `key` under [{setting.section}] "
            f"in .streamlit/secrets.toml): production needs a secret of at least "
            f"{KEY_MIN_LENGTH} characters {setting.purpose}"
        )
    if len(key) < KEY_MIN_LENGTH:
        raise setting.error(f"{setting.variable} must have at least {KEY_MIN_LENGTH} characters")
    return key.encode("utf-8")


def _development_key(path: Path) -> str:
    """Created with O_EXCL and mode 0600, so two processes starting at once agree and no one else
    can read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip()
