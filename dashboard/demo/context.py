"""What every demo builder shares: the seeded randomness, the time window and the people made so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from faker import Faker

# Where people live decides their legal regime; weights shaped like a US-led SaaS with EU/UK customers.
COUNTRY_WEIGHTS: dict[str, int] = {
    "US": 46,
    "GB": 12,
    "DE": 8,
    "CA": 7,
    "FR": 6,
    "BR": 5,
    "IE": 4,
    "NL": 4,
    "ES": 3,
    "AU": 3,
    "IN": 2,
}
US_STATE_WEIGHTS: dict[str, int] = {
    "CA": 22,
    "NY": 12,
    "TX": 12,
    "VA": 6,
    "CO": 5,
    "CT": 4,
    "UT": 3,
    "OR": 4,
    "FL": 10,
    "WA": 8,
    "IL": 8,
    "MA": 6,
}
FAKER_LOCALES = {
    "US": "en_US",
    "GB": "en_GB",
    "DE": "de_DE",
    "CA": "en_CA",
    "FR": "fr_FR",
    "BR": "pt_BR",
    "IE": "en_IE",
    "NL": "nl_NL",
    "ES": "es_ES",
    "AU": "en_AU",
    "IN": "en_IN",
}


@dataclass
class DemoPerson:
    id: int
    username: str
    email: str
    phone: str | None
    full_name: str
    country: str
    region: str | None
    created_at: datetime
    cookie_id: str
    google_id: str | None


@dataclass
class DemoContext:
    seed: int
    n_users: int
    days: int
    end: datetime
    clean: bool = False  # True: no planted violation anywhere (every policy check passes)
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    people: list[DemoPerson] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.fake = Faker(list(dict.fromkeys(FAKER_LOCALES.values())))
        self.fake.seed_instance(self.seed)

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)

    def moment_between(self, lo: datetime, hi: datetime) -> datetime:
        """A uniformly random instant in [lo, hi), to the second."""
        span = max(1, int((hi - lo).total_seconds()))
        return (lo + timedelta(seconds=self.rng.randrange(span))).replace(microsecond=0)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(UTC).date()


def default_end() -> datetime:
    """Demo data ends at the start of the current hour, so the dashboard looks current."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
