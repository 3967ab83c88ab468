"""The shape every policy check returns, and what every check is given: the moment it judges as of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CheckContext:
    now: datetime  # checks judge the data as of this moment
    tz: str = "UTC"

    @property
    def today(self) -> date:
        return self.now.date()


Evidence = Callable[[Session, CheckContext], pd.DataFrame]


@dataclass(frozen=True)
class CheckResult:
    key: str  # stable name, e.g. "no-phone-sharing"
    clause: str  # the policy sentence it tests, quoted
    description: str  # how the data tests it (the query, in words)
    evidence: pd.DataFrame  # offending rows; empty when the check passes

    @property
    def passed(self) -> bool:
        return self.evidence.empty
