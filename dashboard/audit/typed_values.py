"""Showing audit entries written for unauthenticated parties without what they typed.

Until 2026-12-05 a failed sign-in (and a refused single sign-on identity) recorded the typed username, or the
identity's email, as the entry's actor: a value no one authenticated, possibly a data subject's email. Such
entries cannot be edited (the hash chain would break) and are kept (see dashboard.fulfilment.erasure);
every export and the Audit page show their actor as withheld. Entries written since record "anonymous" and a
keyed digest instead, so they show as they are.
"""

from __future__ import annotations

import pandas as pd

from dashboard.audit.log import ANONYMOUS
from data_access.audit_repo import UNAUTHENTICATED_ACTIONS

WITHHELD = "[typed value withheld]"


def withhold_typed_values(entries: pd.DataFrame) -> pd.DataFrame:
    """`entries` (with `actor` and `action` columns) with the actor of unauthenticated entries withheld."""
    if entries.empty or not {"actor", "action"} <= set(entries.columns):
        return entries
    typed = entries["action"].isin(UNAUTHENTICATED_ACTIONS) & (entries["actor"] != ANONYMOUS)
    if not typed.any():
        return entries
    withheld = entries.copy()
    withheld.loc[typed, "actor"] = WITHHELD
    return withheld
