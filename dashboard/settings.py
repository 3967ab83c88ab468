"""Settings read from the environment: the one place the app learns its deployment choices.

DATABASE_URL is read in data_access.db; everything else is here.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.rules.deadlines import DeadlineSettings


def environment() -> str:
    """COMPLIANCE_ENV: 'development' (default) or 'production' (refuses demo accounts, hides tracebacks)."""
    return os.environ.get("COMPLIANCE_ENV", "development").strip().lower()


def is_production() -> bool:
    return environment() == "production"


@lru_cache(maxsize=1)
def deadline_settings() -> DeadlineSettings:
    """COMPLIANCE_TZ is the controller's time zone that decides the date of receipt (docs/legal-rules.md)."""
    return DeadlineSettings(controller_tz=os.environ.get("COMPLIANCE_TZ", "UTC"))


class KeySettingError(RuntimeError):
    """A secret key is missing or unusable; the message says which setting to fix."""


class AuditKeyError(KeySettingError):
    """The audit key is missing or unusable."""


class PseudonymKeyError(KeySettingError):
    """The pseudonym key is missing or unusable."""


KEY_MIN_LENGTH = 32
DEV_AUDIT_KEY_FILE = Path("data") / "audit.key"
DEV_PSEUDONYM_KEY_FILE = Path("data") / "pseudonym.key"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"


@dataclass(frozen=True)
class _KeySetting:
    variable: str
    section: str  # of .streamlit/secrets.toml
    dev_file: Path
    purpose: str
    error: type[KeySettingError]


_AUDIT = _KeySetting("COMPLIANCE_AUDIT_KEY", "audit", DEV_AUDIT_KEY_FILE, "to seal the audit log", AuditKeyError)
_PSEUDONYM = _KeySetting("COMPLIANCE_PSEUDONYM_KEY", "pseudonym", DEV_PSEUDONYM_KEY_FILE,
                         "to give auditors a pseudonym per person", PseudonymKeyError)


def audit_key() -> bytes:
    """The secret that seals the audit head and digests typed usernames (HMAC-SHA256).

    COMPLIANCE_AUDIT_KEY, else `key` under `[audit]` in .streamlit/secrets.toml (the working directory's, as
    Streamlit reads it). In development only, a key is generated once into data/audit.key (mode
    0600); production refuses to make one up: a key on the same disk as the database protects
    nothing against whoever holds both.
    """
    return _key(_AUDIT)


def pseudonym_key() -> bytes:
    """The secret behind the auditors' person pseudonyms (HMAC-SHA256 of the person id, privacy.pseudonyms).

    A key of its own, read like the audit key (COMPLIANCE_PSEUDONYM_KEY, `key` under `[pseudonym]` in
    .streamlit/secrets.toml, data/pseudonym.key in development only): changing it changes every
    pseudonym, which breaks the trail from earlier exports, so it must not turn with the audit key
    (rotated after a suspected leak or a reseal); and whoever holds it can tell who a pseudonym is
    by hashing every id, so it is never shown.
    """
    return _key(_PSEUDONYM)


def _key(setting: _KeySetting) -> bytes:
    key = os.environ.get(setting.variable) or _secrets_key(setting)
    if key is None and not is_production():
        key = _development_key(setting.dev_file)
    if key is None:
        raise setting.error(f"{setting.variable} is not set (nor `key` under [{setting.section}] in "
                            f".streamlit/secrets.toml): production needs a secret of at least {KEY_MIN_LENGTH} "
                            f"characters {setting.purpose}")
    if len(key) < KEY_MIN_LENGTH:
        raise setting.error(f"{setting.variable} must have at least {KEY_MIN_LENGTH} characters")
    return key.encode("utf-8")


def _secrets_key(setting: _KeySetting) -> str | None:
    if not SECRETS_FILE.is_file():
        return None
    try:
        secrets_toml = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise setting.error(f"{SECRETS_FILE}: {exc}") from exc
    key = secrets_toml.get(setting.section, {}).get("key")
    return str(key) if key else None


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


TrustedProxies = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def trusted_proxies() -> TrustedProxies:
    """COMPLIANCE_TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For the sign-in brake believes."""
    return parse_trusted_proxies(os.environ.get("COMPLIANCE_TRUSTED_PROXIES", ""))


def parse_trusted_proxies(value: str) -> TrustedProxies:
    """Comma-separated addresses or CIDR networks; a bad entry is named, never silently ignored."""
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"COMPLIANCE_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from exc
    return tuple(networks)


MAX_INPUT_BYTES_DEFAULT = 16 * 2**30


def max_input_bytes() -> int:
    """COMPLIANCE_MAX_INPUT_BYTES: the most one imported file may unpack to (default 16 GiB, some 60
    million log lines); past it the import stops with an error naming the file, so a gzip bomb
    cannot run for hours."""
    value = os.environ.get("COMPLIANCE_MAX_INPUT_BYTES", "").strip().replace("_", "")
    if not value:
        return MAX_INPUT_BYTES_DEFAULT
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"COMPLIANCE_MAX_INPUT_BYTES: {value!r} is not a positive number of bytes")
    return int(value)
