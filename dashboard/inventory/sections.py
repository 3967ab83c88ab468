"""Which data categories each section of a person's inventory holds, as the data map declares them."""

from __future__ import annotations

from dashboard.inventory.data_map import load_data_map
from data_access.queries.person_inventory import SECTION_TABLES, PersonInventory


def section_categories(section: str) -> tuple[str, ...]:
    return load_data_map().categories_of(SECTION_TABLES[section])


def held_categories(inventory: PersonInventory) -> list[str]:
    return sorted({c for name, rows in inventory.sections.items() if rows for c in section_categories(name)})
