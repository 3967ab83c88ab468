"""Staff passwords hashed with Argon2id (argon2-cffi), the OWASP-recommended password hash."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher(type=Type.ID)
MIN_LENGTH = 12


class WeakPasswordError(ValueError):
    """A new password breaks a rule; the message names the rule, never the password."""


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


@cache
def dummy_hash() -> str:
    """A hash of a random password, made once per process with the current parameters: verified when
    there is no account, so that an unknown username costs the same Argon2 work as a known one (no
    username discovery)."""
    return hash_password(secrets.token_urlsafe(32))


def verify_password(stored_hash: str, plain: str) -> bool:
    """True only for the right password; a wrong one or a corrupt hash is False, never an exception."""
    try:
        return _hasher.verify(stored_hash, plain)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def validate_new_password(plain: str) -> None:
    if len(plain) < MIN_LENGTH:
        raise WeakPasswordError(f"password must have at least {MIN_LENGTH} characters")
    if len(set(plain)) < 5:
        raise WeakPasswordError("password must use at least 5 different characters")
