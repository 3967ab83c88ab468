"""The auditors' pseudonym of a person: `P-` and 12 base32 characters of HMAC-SHA256(key, person id).

A masked id ("1***") hides the person but also the finding: two rows about one person cannot be told from two
rows about two. A keyed hash of the person's id is the same on every page and in every export (for
one key), so an auditor can follow a person across files, and without the key no one can go back
from it to the person: the ids are small integers, so an unkeyed hash could be reversed by hashing
them all. The key is settings.pseudonym_key().

12 base32 characters are 60 bits: among a million people the chance that any two share a pseudonym is about
1 in 2.3 million (10 characters would make it about 1 in 2,300). Base32 (A-Z, 2-7) has no 0/O or 1/I
to confuse.
"""

from __future__ import annotations

import base64
import hmac
import re
from typing import Any

PREFIX = "P-"
LENGTH = 12  # base32 characters after the prefix
PATTERN = re.compile(rf"{PREFIX}[A-Z2-7]{{{LENGTH}}}")


def pseudonym(key: bytes, person_id: Any) -> str:
    """The pseudonym of the person with id `person_id` (an int, or its text or float as frames carry it)."""
    digest = hmac.digest(key, f"person:{_canonical(person_id)}".encode(), "sha256")
    return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH]


def key_id(key: bytes) -> str:
    """A short public name of the key, for an export's cover: two files whose key ids differ were made under
    different keys, so equal people carry different pseudonyms in them. It tells nothing about any person."""
    digest = hmac.digest(key, b"pseudonym-key-id", "sha256")
    return "K-" + base64.b32encode(digest).decode("ascii")[:8]


def _canonical(person_id: Any) -> str:
    """12, 12.0 (a column of ids with a gap reads as floats) and "12" (an audit entry's object id)
    are one id."""
    if isinstance(person_id, float) and person_id.is_integer():
        return str(int(person_id))
    text = str(person_id).strip()
    return str(int(text)) if text.lstrip("-").isdigit() else text
