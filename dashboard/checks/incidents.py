"""Evidence for the Security clause: every incident documented (GDPR Art. 33(5)) and every notice on time."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.services.incident_clocks import incident_clocks, late_notices
from data_access.queries.incidents import incident_register

SETTLED = ("contained", "closed")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip()


def _gaps(row: pd.Series) -> list[str]:
    """What Art. 33(5) asks to be documented and the record lacks: the facts, effects and remedial action."""
    gaps = [name for name in ("description", "risk_reasoning", "owner") if _blank(row[name])]
    if not (row["systems"] or row["categories"]):
        gaps.append("systems or categories")
    if row["status"] in SETTLED and _blank(row["containment"]):
        gaps.append("containment")
    return gaps


def incidents_documented(session: Session, context: CheckContext) -> pd.DataFrame:
    register = incident_register(session=session)
    gaps = [", ".join(_gaps(row)) for _, row in register.iterrows()]
    found = register.assign(missing=gaps)[["reference", "status", "aware_at", "missing"]]
    return found[found["missing"] != ""].reset_index(drop=True)


def breach_notices_on_time(session: Session, context: CheckContext) -> pd.DataFrame:
    clocks = incident_clocks(session=session, now=context.now, tz=context.tz)
    return late_notices(clocks)[
        [
            "reference",
            "regime",
            "party",
            "rule",
            "source",
            "due_at",
            "done_at",
            "status",
            "affected",
            "notified",
        ]
    ]
