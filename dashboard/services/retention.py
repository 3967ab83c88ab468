"""What is past its retention (GDPR Art. 5(1)(e)): the categories the data map's rules purge and
their counts, which the check reports (dashboard.checks.retention) and the purge removes
(dashboard.fulfilment.retention). docs/retention.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.inventory.data_map import DataMap, load_data_map
from dashboard.rules.retention import RetentionRule, cutoff
from data_access import retention as repo


@dataclass(frozen=True)
class Category:
    """A category the rules purge: its rule (the people table's, for accounts) and its cutoff as of
    a moment."""

    name: str
    rule: RetentionRule
    cutoff: datetime

    @property
    def action(self) -> str:
        """What the purge does: accounts are erased as a deletion request erases; other tables as
        their rule says."""
        return "erase" if self.name == repo.ACCOUNTS else self.rule.action


def purged_categories(now: datetime, data_map: DataMap | None = None) -> list[Category]:
    """Every category whose rule deletes or pseudonymises, with its cutoff at `now`; `review` ones
    are left out."""
    found: dict[str, Category] = {}
    for table, rule in (data_map or load_data_map()).retention_rules().items():
        if not rule.purged:
            continue
        if table in repo.ACCOUNT_TABLES:
            if table == "people":
                found[repo.ACCOUNTS] = Category(repo.ACCOUNTS, rule, cutoff(now, rule.period))
            continue
        if table not in repo.CATEGORIES:
            raise LookupError(f"the data map purges {table} but data_access.retention has no category for it")
        found[table] = Category(table, rule, cutoff(now, rule.period))
    return list(found.values())


def past_retention(session: Session, now: datetime) -> list[tuple[Category, repo.PastRetention]]:
    """Per category with records past retention at `now`: its rule and (records, oldest), oldest first."""
    categories = {c.name: c for c in purged_categories(now)}
    counted = repo.count_past_retention(
        session, {c.name: c.cutoff for c in categories.values()}, today=now.date()
    )
    return [(categories[p.category], p) for p in counted]
