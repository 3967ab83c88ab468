"""json.loads with a nesting limit checked before parsing (issue 23 item 8).

CPython's parser recurses once per level: a payload of a hundred thousand "[" raised RecursionError
through the import and out of the CLI and the page as a traceback. The depth is measured first, on
the brackets outside strings only (a regex drops the strings, C code drops everything but brackets),
and the scan stops at the first level past the limit; no file this project imports nests deeper than
a few levels.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonTooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH."""


def loads(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads(data), or JsonTooDeep when arrays and objects nest deeper than `max_depth`."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if any(depth > max_depth for depth in accumulate(map(_STEP.__getitem__, brackets))):
        raise JsonTooDeep(f"nested deeper than {max_depth} levels")
    return json.loads(data)
