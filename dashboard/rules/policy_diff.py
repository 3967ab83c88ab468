"""A readable difference between two policy versions: what a reader must notice, line by line."""

from __future__ import annotations

import difflib


def policy_diff(old: str, new: str, *, old_name: str, new_name: str) -> str:
    """A unified diff of the two texts (whole lines, with two lines of context); empty when they are equal."""
    return "\n".join(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), fromfile=old_name, tofile=new_name, lineterm="", n=2
        )
    )
