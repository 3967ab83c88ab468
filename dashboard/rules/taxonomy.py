"""The fideslang taxonomy (data categories and data uses), read from the package, never copied by hand.

Keys are dotted paths; a key "covers" another when it is the same key or one of its ancestors
(`user.contact` covers `user.contact.phone_number`).
"""

from __future__ import annotations

from functools import lru_cache

from fideslang.default_taxonomy import DEFAULT_TAXONOMY


@lru_cache(maxsize=1)
def data_category_keys() -> frozenset[str]:
    return frozenset(c.fides_key for c in DEFAULT_TAXONOMY.data_category)


@lru_cache(maxsize=1)
def data_use_keys() -> frozenset[str]:
    return frozenset(u.fides_key for u in DEFAULT_TAXONOMY.data_use)


def covers(parent: str, key: str) -> bool:
    return key == parent or key.startswith(parent + ".")


def covered_by_any(key: str, allowed: list[str] | tuple[str, ...] | frozenset[str]) -> bool:
    """True when one of `allowed` is `key` or an ancestor of it."""
    return any(covers(parent, key) for parent in allowed)
