"""The shape every policy check returns, and what every check is given: the moment it judges as of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from data_access.gateway import MAX_ROWS


@dataclass(frozen=True)
class CheckContext:
    now: datetime  # checks judge the data as of this moment
    tz: str = "UTC"
    # The most offending rows a check lists. The verdict does not depend on it: a check that finds
    # any row fails.
    # A page lists fewer than an export, so its time does not grow with a list nobody reads to the end.
    evidence_limit: int = MAX_ROWS

    @property
    def today(self) -> date:
        return self.now.date()


Evidence = Callable[[Session, CheckContext], pd.DataFrame]


@dataclass(frozen=True)
class CheckResult:
    key: str  # stable name, e.g. "no-phone-sharing"
    title: str  # the check in a few words a reader knows it by, e.g. "No phone numbers or SMS shared"
    clause: str  # the policy sentence it tests, quoted
    description: str  # how the data tests it (the query, in words)
    evidence: pd.DataFrame  # offending rows, at most evidence_limit of them; empty when the check passes
    evidence_limit: int = MAX_ROWS

    @property
    def passed(self) -> bool:
        return self.evidence.empty

    @property
    def listed_in_part(self) -> bool:
        """True when the evidence stopped at its limit, so there may be more offending rows than listed."""
        return len(self.evidence) >= self.evidence_limit

    def summary(self) -> dict[str, object]:
        """The verdict without the rows, as the workbook, the evidence package and `compliance
        check` report it."""
        return {
            "key": self.key,
            "title": self.title,
            "status": "pass" if self.passed else "fail",
            "evidence_rows": len(self.evidence),
            "evidence_complete": not self.listed_in_part,
            "clause": self.clause,
        }
