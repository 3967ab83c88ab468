"""Names a person can read for data categories and data uses: fideslang's own names and descriptions, and the
data map's for the categories it declares as extensions. Keys such as `user.unique_id.pseudonymous` are for
machines; a cover letter, a page or a report shows these instead."""

from __future__ import annotations

from functools import lru_cache

from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from dashboard.inventory.data_map import load_data_map


@lru_cache(maxsize=1)
def _categories() -> dict[str, tuple[str, str]]:
    labels = {
        c.fides_key: (c.name or c.fides_key, c.description or "") for c in DEFAULT_TAXONOMY.data_category
    }
    for extension in load_data_map().extensions:
        leaf = extension.key.rsplit(".", 1)[-1].replace("_", " ")
        labels[extension.key] = (f"{labels[extension.parent][0]}: {leaf.capitalize()}", extension.description)
    return labels


@lru_cache(maxsize=1)
def _uses() -> dict[str, tuple[str, str]]:
    return {u.fides_key: (u.name or u.fides_key, u.description or "") for u in DEFAULT_TAXONOMY.data_use}


def category_name(key: str) -> str:
    return _categories().get(key, (key, ""))[0]


def category_description(key: str) -> str:
    return _categories().get(key, (key, ""))[1]


def data_use_name(key: str) -> str:
    return _uses().get(key, (key, ""))[0]


def data_use_description(key: str) -> str:
    return _uses().get(key, (key, ""))[1]
