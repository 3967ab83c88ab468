"""Every incident's legal clocks with where each stands: the Security page, `compliance check` and
the evidence all read this one table (the rules are dashboard.rules.breach_deadlines; the data the
register queries)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.rules.breach_deadlines import BreachClock, breach_clocks, clock_status
from dashboard.rules.regimes import EEA
from data_access.queries.incidents import incident_register, incident_residents

COLUMNS = [
    "incident_id",
    "reference",
    "party",
    "regime",
    "status",
    "time_left",
    "due_at",
    "done_at",
    "hours_left",
    "rule",
    "source",
    "condition",
    "affected",
    "notified",
    "delay_reason",
]
AUTHORITY_PARTIES = ("supervisory authority",)


def time_left_words(status: str, hours_left: float | None) -> str:
    """What a reader needs first: hours left, hours overdue, or that the law gives no number."""
    if status in ("open", "overdue") and hours_left is not None:
        span = abs(hours_left)
        amount = f"{span:,.1f} h" if span < 72 else f"{span / 24:,.1f} days"
        return f"{amount} left" if hours_left >= 0 else f"overdue by {amount}"
    return {"due now": "due now (no fixed period)"}.get(status, "")


def place_of(country: str, region: str | None) -> str:
    """'US-TX' for a US state, the country code otherwise."""
    return f"US-{region.upper()}" if country == "US" and region else country


def _in_regime(place: str, regime: str) -> bool:
    if regime == "gdpr":
        return place in EEA
    if regime == "uk-gdpr":
        return place == "GB"
    return place == regime.replace("us-", "US-").upper()


def _done_at(
    clock: BreachClock, incident: pd.Series, places: pd.DataFrame
) -> tuple[datetime | None, int, int]:
    """When the notice of `clock` was given (None if not, or not to everyone), with the people it concerns."""
    mine = places[[_in_regime(p, clock.regime) for p in places["place"]]]
    affected, notified = int(mine["affected"].sum()), int(mine["notified"].sum())
    if clock.party in ("people affected", "residents affected"):
        done = mine["last_notified_at"].max() if affected and notified == affected else None
        return (
            (None if done is None or pd.isna(done) else pd.Timestamp(done).to_pydatetime()),
            affected,
            notified,
        )
    notice = (incident["authority_notices"] or {}).get(clock.regime)
    return (datetime.fromisoformat(notice) if notice else None), affected, notified


def incident_clocks(*, session: Session, now: datetime, tz: str) -> pd.DataFrame:
    """One row per clock of every incident: due, done, status and hours left (negative when overdue)."""
    register = incident_register(session=session)
    residents = incident_residents(session=session)
    residents["place"] = [
        place_of(c, r) for c, r in zip(residents["country"], residents["region"], strict=True)
    ]
    rows = []
    for _, incident in register.iterrows():
        places = residents[residents["incident_id"] == incident["id"]]
        counts = places.groupby("place")["affected"].sum().to_dict()
        for clock in breach_clocks(
            pd.Timestamp(incident["aware_at"]).to_pydatetime(),
            risk=incident["risk"],
            residents={str(k): int(v) for k, v in counts.items()},
            tz=tz,
        ):
            done_at, affected, notified = _done_at(clock, incident, places)
            left = clock.time_left(now)
            hours_left = None if left is None or done_at else round(left.total_seconds() / 3600, 1)
            status = clock_status(clock, done_at=done_at, now=now)
            rows.append(
                {
                    "incident_id": incident["id"],
                    "reference": incident["reference"],
                    "regime": clock.regime,
                    "party": clock.party,
                    "rule": clock.rule,
                    "source": clock.source,
                    "condition": clock.condition,
                    "due_at": clock.due_at,
                    "done_at": done_at,
                    "status": status,
                    "time_left": time_left_words(status, hours_left),
                    "hours_left": hours_left,
                    "affected": affected,
                    "notified": notified,
                    "delay_reason": incident["delay_reason"] if clock.party in AUTHORITY_PARTIES else None,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def late_notices(clocks: pd.DataFrame) -> pd.DataFrame:
    """Clocks that ran out: overdue, or done late (an authority notice after 72 hours counts as late only
    without the reasons for the delay, which Art. 33(1) allows it to carry)."""
    excused = (
        clocks["party"].isin(AUTHORITY_PARTIES)
        & clocks["delay_reason"].notna()
        & (clocks["status"] == "done late")
    )
    return clocks[clocks["status"].isin(["overdue", "done late"]) & ~excused].reset_index(drop=True)


def register_summary(register: pd.DataFrame) -> pd.DataFrame:
    """Incidents by status and risk with the people affected and told: what an executive sees
    (counts only)."""
    if register.empty:
        return pd.DataFrame(columns=["status", "risk", "incidents", "people_affected", "people_notified"])
    return register.groupby(["status", "risk"], as_index=False).agg(
        incidents=("id", "count"),
        people_affected=("people_affected", "sum"),
        people_notified=("people_notified", "sum"),
    )


def open_clocks(clocks: pd.DataFrame) -> pd.DataFrame:
    """Clocks still running or run out without the notice: what needs doing, the nearest end first."""
    waiting = clocks[clocks["status"].isin(["open", "overdue", "due now"])]
    return waiting.sort_values("due_at", na_position="first").reset_index(drop=True)
