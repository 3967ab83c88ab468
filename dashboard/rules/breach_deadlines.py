"""The legal clocks of a personal data breach, exactly as docs/security-incidents.md states them.

- GDPR and UK GDPR Art. 33(1): the supervisory authority within 72 hours of becoming aware, counted in clock
  hours on the UTC time line (a DST change in the controller's zone neither adds nor removes an
  hour); not needed when the breach is unlikely to result in a risk; after 72 hours, with the
  reasons for the delay.
- Art. 34(1): the people affected without undue delay when the breach is likely to result in a high
  risk. The law
  gives no number of hours, so neither do we: the clock has no end and reads "without undue delay".
- Art. 33(2): a processor tells the controller without undue delay (no number either).
- US states with a fixed period (US_STATE_RULES): N calendar days after the day we became aware (the
  register's
  aware time stands for the statute's "discovery" or "determination"), ending at the end of that day in the
  controller's zone; notice to a state officer where the residents affected reach the statute's threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dashboard.rules.business_days import DeadlineError
from dashboard.rules.regimes import EEA

AUTHORITY_HOURS = 72
WITHOUT_UNDUE_DELAY = "without undue delay"
CHECKED_ON = date(2026, 12, 5)
RISKS = ("unlikely", "risk", "high_risk")


@dataclass(frozen=True)
class StateRule:
    """A US state's breach-notice rule: days to tell residents (None: no fixed period, `wording` says what the
    law says), the officer told above `threshold` residents and within how many days, and where we
    checked it."""

    state: str
    statute: str
    wording: str
    people_days: int | None
    officer: str | None
    threshold: int | None  # residents at or above which the officer is told
    officer_days: int | None
    clock_from: str
    checked: str


# Checked on CHECKED_ON with the search tool; "secondary" means only a secondary source could be read.
US_STATE_RULES: Mapping[str, StateRule] = {
    "CO": StateRule(
        "CO",
        "C.R.S. 6-1-716(2)",
        "not later than thirty days after determination",
        30,
        "Attorney General",
        500,
        30,
        "determination that a breach occurred",
        "secondary (complianceiq.site; statute definitions at law.counselstack.com)",
    ),
    "FL": StateRule(
        "FL",
        "Fla. Stat. 501.171(3)-(4)",
        "no later than 30 days after determination",
        30,
        "Department of Legal Affairs",
        500,
        30,
        "determination of a breach",
        "secondary (complianceiq.site, dwt.com, wordsbywit.com)",
    ),
    "TX": StateRule(
        "TX",
        "Tex. Bus. & Com. Code 521.053(b), (i)",
        "not later than the 60th day after determination",
        60,
        "Attorney General",
        250,
        30,
        "determination that the breach occurred",
        "statute text (lawserver.com) for the 60 days; secondary (Perkins Coie chart) for the "
        "Attorney General's 250 residents and 30 days",
    ),
    "WA": StateRule(
        "WA",
        "RCW 19.255.010",
        "no more than thirty calendar days after discovery",
        30,
        "Attorney General",
        501,
        30,
        "discovery of the breach",
        "secondary (terms.law, complianceiq.site): more than 500 residents",
    ),
    "IN": StateRule(
        "IN",
        "Ind. Code 24-4.9-3-3(a)",
        "not more than forty-five (45) days after the discovery",
        45,
        None,
        None,
        None,
        "discovery of the breach",
        "statute text (lawserver.com)",
    ),
    "CA": StateRule(
        "CA",
        "Cal. Civ. Code 1798.82(a), (f)",
        "in the most expedient time possible and without unreasonable delay",
        None,
        "Attorney General (sample copy)",
        501,
        None,
        "discovery or notification of the breach",
        "not checked: no copy of the statute found with the search tool",
    ),
}


@dataclass(frozen=True)
class BreachClock:
    """One notice the law asks for: who is told, under which rule, by when (None: no fixed end), whether it
    applies to this incident and why."""

    regime: str
    party: str
    rule: str
    source: str
    due_at: datetime | None
    applies: bool
    condition: str

    def time_left(self, now: datetime) -> timedelta | None:
        return None if self.due_at is None else self.due_at - now

    def to_json_dict(self) -> dict[str, object]:
        return {
            "regime": self.regime,
            "party": self.party,
            "rule": self.rule,
            "source": self.source,
            "due": self.due_at.isoformat() if self.due_at else None,
            "applies": self.applies,
            "condition": self.condition,
        }


def authority_due(aware_at: datetime) -> datetime:
    """Art. 33(1): 72 clock hours after becoming aware, as a UTC instant."""
    if aware_at.tzinfo is None:
        raise DeadlineError("aware", "the time we became aware needs a time zone")
    return aware_at.astimezone(UTC) + timedelta(hours=AUTHORITY_HOURS)


def authority_late(aware_at: datetime, notified_at: datetime) -> bool:
    """Notified after the 72 hours ended: the notice must carry the reasons for the delay (Art. 33(1))."""
    return notified_at > authority_due(aware_at)


def days_due(aware_at: datetime, days: int, tz: str) -> datetime:
    """The end of the `days`th calendar day after the day we became aware, in zone `tz`, as a UTC instant."""
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError) as exc:
        raise DeadlineError("tz", f"unknown time zone {tz!r}") from exc
    last_day = aware_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time(0), zone).astimezone(UTC) - timedelta(
        microseconds=1
    )


def gdpr_clocks(regime: str, aware_at: datetime, risk: str) -> list[BreachClock]:
    law = "UK GDPR" if regime == "uk-gdpr" else "GDPR"
    return [
        BreachClock(
            regime,
            "supervisory authority",
            f"within {AUTHORITY_HOURS} hours of becoming aware",
            f"{law} Art. 33(1)",
            authority_due(aware_at),
            risk != "unlikely",
            "unless the breach is unlikely to result in a risk to people",
        ),
        BreachClock(
            regime,
            "people affected",
            WITHOUT_UNDUE_DELAY,
            f"{law} Art. 34(1)",
            None,
            risk == "high_risk",
            "when the breach is likely to result in a high risk",
        ),
    ]


def state_clocks(state: str, aware_at: datetime, residents: int, tz: str) -> list[BreachClock]:
    rule = US_STATE_RULES[state]
    regime = f"us-{state.lower()}"
    clocks = [
        BreachClock(
            regime,
            "residents affected",
            rule.wording,
            rule.statute,
            days_due(aware_at, rule.people_days, tz) if rule.people_days else None,
            residents > 0,
            "residents whose data was acquired",
        )
    ]
    if rule.officer and rule.threshold:
        clocks.append(
            BreachClock(
                regime,
                rule.officer,
                f"within {rule.officer_days} days" if rule.officer_days else rule.wording,
                rule.statute,
                days_due(aware_at, rule.officer_days, tz) if rule.officer_days else None,
                residents >= rule.threshold,
                _threshold_words(rule.threshold),
            )
        )
    return clocks


def _threshold_words(threshold: int) -> str:
    """'500 or more' where the statute says so, 'more than 500' where it says that (stored as 501)."""
    return (
        f"more than {threshold - 1:,} residents affected"
        if threshold % 10 == 1
        else f"{threshold:,} or more residents affected"
    )


def breach_clocks(
    aware_at: datetime, *, risk: str, residents: Mapping[str, int], tz: str
) -> list[BreachClock]:
    """Every clock of an incident. `residents`: people affected per place (country code, or US-XX
    for a state)."""
    if risk not in RISKS:
        raise DeadlineError("risk", f"unknown risk {risk!r}; one of {', '.join(RISKS)}")
    clocks: list[BreachClock] = []
    if any(place in EEA and n > 0 for place, n in residents.items()):
        clocks += gdpr_clocks("gdpr", aware_at, risk)
    if residents.get("GB", 0) > 0:
        clocks += gdpr_clocks("uk-gdpr", aware_at, risk)
    for place, n in sorted(residents.items()):
        state = place.removeprefix("US-")
        if place.startswith("US-") and state in US_STATE_RULES and n > 0:
            clocks += state_clocks(state, aware_at, n, tz)
    return clocks


def regime_clocks(
    regime: str, aware_at: datetime, *, tz: str, risk: str = "risk", residents: int = 1
) -> list[BreachClock]:
    """The clocks of one regime (`compliance incidents due`): gdpr, uk-gdpr, processor or us-XX."""
    if risk not in RISKS:
        raise DeadlineError("risk", f"unknown risk {risk!r}; one of {', '.join(RISKS)}")
    if regime in ("gdpr", "uk-gdpr"):
        return gdpr_clocks(regime, aware_at, risk)
    if regime == "processor":
        return [
            BreachClock(
                "processor",
                "controller",
                WITHOUT_UNDUE_DELAY,
                "GDPR and UK GDPR Art. 33(2)",
                None,
                True,
                "we process the data for another controller",
            )
        ]
    state = regime.removeprefix("us-").upper()
    if regime.startswith("us-") and state in US_STATE_RULES:
        return state_clocks(state, aware_at, residents, tz)
    known = ", ".join(["gdpr", "uk-gdpr", "processor", *(f"us-{s.lower()}" for s in US_STATE_RULES)])
    raise DeadlineError("regime", f"unknown regime {regime!r}; one of {known}")


def clock_status(clock: BreachClock, *, done_at: datetime | None, now: datetime) -> str:
    """'done on time', 'done late', 'overdue', 'open' (time left) or 'due now' (no fixed end), or
    'not required'."""
    if not clock.applies:
        return "not required"
    if clock.due_at is None:
        return "done" if done_at else "due now"
    if done_at is not None:
        return "done late" if done_at > clock.due_at else "done on time"
    return "overdue" if now > clock.due_at else "open"
