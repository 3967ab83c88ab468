"""Retention rules: how long a record is kept, from which event, and what happens then (docs/retention.md).

Pure arithmetic, no database: the data map states a rule per entry (dashboard.inventory.data_map), the
repository (data_access.retention) counts and purges the records whose start is before `cutoff(now, period)`.
Months and years are calendar ones; the day is clamped at a month's end, so 13 months before 31 March is the
last day of February (the common reading of "n months" in contracts and in Reg. 1182/71 Art. 3(2)(c)).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dashboard.rules.field_error import FieldError

UNITS = ("minutes", "days", "months", "years")
RUNS_FROM = (
    "collection",
    "account_closure",
    "end_of_contract",
    "last_activity",
    "consent_withdrawal",
    "request_closure",
    "end_of_employment",
)
ACTIONS = ("delete", "pseudonymise", "review")
HOLDS = ("tax", "litigation")
RULE_KEYS = ("period", "runs_from", "action", "holds")
_PERIOD = re.compile(r"^\s*(\d+)\s+(minute|day|month|year)s?\s*$")


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # one of UNITS

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


@dataclass(frozen=True)
class RetentionRule:
    period: Period
    runs_from: str
    action: str
    holds: tuple[str, ...]

    @property
    def purged(self) -> bool:
        """`review` leaves the decision to a person: neither counted by the check nor touched by the purge."""
        return self.action != "review"


def parse_period(text: str) -> Period:
    match = _PERIOD.match(str(text))
    if not match:
        raise FieldError("period", f"{text!r} is not '<n> minutes|days|months|years'")
    amount = int(match.group(1))
    if amount <= 0:
        raise FieldError("period", f"{text!r}: the period must be at least 1")
    return Period(amount, match.group(2) + "s")


def parse_rule(doc: Any) -> RetentionRule:
    """A rule from the data map's `retention_rule` mapping; FieldError names the key at fault."""
    if not isinstance(doc, dict):
        raise FieldError("retention_rule", "missing (a mapping of period, runs_from, action, holds)")
    unknown = sorted(set(doc) - set(RULE_KEYS))
    if unknown:
        raise FieldError(unknown[0], f"unknown key; a rule has {', '.join(RULE_KEYS)}")
    for key in RULE_KEYS[:3]:
        if not doc.get(key):
            raise FieldError(key, "missing")
    if doc["runs_from"] not in RUNS_FROM:
        raise FieldError("runs_from", f"{doc['runs_from']!r} is not one of {', '.join(RUNS_FROM)}")
    if doc["action"] not in ACTIONS:
        raise FieldError("action", f"{doc['action']!r} is not one of {', '.join(ACTIONS)}")
    holds = doc.get("holds", [])
    if not isinstance(holds, list) or any(h not in HOLDS for h in holds):
        raise FieldError("holds", f"{holds!r}: a list of {', '.join(HOLDS)}")
    return RetentionRule(parse_period(doc["period"]), doc["runs_from"], doc["action"], tuple(holds))


def cutoff(now: datetime, period: Period) -> datetime:
    """The earliest start still within retention at `now`: a record whose start is before it is past
    retention."""
    if period.unit == "minutes":
        return now - timedelta(minutes=period.amount)
    if period.unit == "days":
        return now - timedelta(days=period.amount)
    months = period.amount * (12 if period.unit == "years" else 1)
    return months_before(now, months)


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` moved back by calendar months, the day clamped to the target month's last day."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last))
