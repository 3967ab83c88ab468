"""The shape every policy check returns: the clause it tests, pass or fail, and its evidence rows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CheckResult:
    key: str  # stable name, e.g. "no-phone-sharing"
    clause: str  # the policy sentence it tests, quoted
    description: str  # how the data tests it (the query, in words)
    evidence: pd.DataFrame  # offending rows; empty when the check passes

    @property
    def passed(self) -> bool:
        return self.evidence.empty
