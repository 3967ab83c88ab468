"""The company data map (category x storage x purpose x recipients, with people), its Sankey and the ROPA.

All three are built from the declarative data map plus counts from the database, so the page, the
exports and the Record of Processing Activities (GDPR Art. 30(1)) say the same thing.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.inventory.data_map import DataMap, load_data_map
from dashboard.inventory.labels import category_name, data_use_name
from dashboard.rules.taxonomy import covers
from data_access.queries.data_map import people_per_table, shared_categories

IN_HOUSE = "(kept in-house)"


def data_map_table(*, session: Session) -> pd.DataFrame:
    data_map = load_data_map()
    people = people_per_table(session=session, tables=sorted({f.table for f in data_map.fields}))
    recipients = _recipients_by_category(session, data_map)
    rows = [
        {
            "category": f.category,
            "table": f.table,
            "column": f.column,
            "storage": f.storage,
            "source": f.source,
            "purpose": f.purpose,
            "legal_basis": f.legal_basis,
            "retention": f.retention,
            "data_subjects": f.data_subjects,
            "recipients": ", ".join(recipients.get(f.category, [])) or IN_HOUSE,
            "people": people.get(f.table),
        }
        for f in data_map.fields
    ]
    return pd.DataFrame(rows).sort_values(["category", "table", "column"]).reset_index(drop=True)


def sankey_links(table: pd.DataFrame) -> pd.DataFrame:
    """source -> target -> people: data category (two levels) -> purpose -> recipient, each category
    and purpose by its fideslang name (a chart's reader does not know `user.contact`)."""
    frame = table.assign(
        group=table["category"].str.split(".").str[:3].str.join("."), people=table["people"].fillna(0)
    ).drop_duplicates(["group", "purpose", "recipients", "table"])
    first = frame.groupby(["group", "purpose"])["people"].max().reset_index()
    first.columns = pd.Index(["source", "target", "people"])
    exploded = frame.assign(recipient=frame["recipients"].str.split(", ")).explode("recipient")
    second = exploded.groupby(["purpose", "recipient"])["people"].max().reset_index()
    second.columns = pd.Index(["source", "target", "people"])
    first = first.assign(source=first["source"].map(category_name), target=first["target"].map(data_use_name))
    second = second.assign(source=second["source"].map(data_use_name))
    return pd.concat([first, second], ignore_index=True)


def ropa(*, session: Session) -> pd.DataFrame:
    """One row per processing activity (purpose) with the Art. 30(1)(a)-(g) fields."""
    data_map = load_data_map()
    table = data_map_table(session=session)
    controller = data_map.controller
    rows = []
    for purpose, part in table.groupby("purpose", sort=True):
        rows.append(
            {
                "controller": controller.get("name"),
                "controller_contact": controller.get("contact"),
                "purpose": purpose,
                "legal_basis": ", ".join(sorted(set(part["legal_basis"]))),
                "data_subject_categories": ", ".join(sorted(set(part["data_subjects"]))),
                "personal_data_categories": ", ".join(sorted(set(part["category"]))),
                "recipients": ", ".join(sorted({r for cell in part["recipients"] for r in cell.split(", ")})),
                "third_country_transfers": controller.get("third_country_transfers")
                if (part["recipients"] != IN_HOUSE).any()
                else "none",
                "retention": "; ".join(sorted(set(part["retention"]))),
                "security_measures": "; ".join(controller.get("security_measures", [])),
                "storage": ", ".join(sorted(set(part["storage"]))),
            }
        )
    return pd.DataFrame(rows)


def _recipients_by_category(session: Session, data_map: DataMap) -> dict[str, list[str]]:
    shared = shared_categories(session=session)
    result: dict[str, set[str]] = {}
    for category in {f.category for f in data_map.fields}:
        for recipient, received in zip(shared["recipient"], shared["categories"], strict=True):
            if any(covers(key, category) for key in received):  # it received this category or a parent of it
                result.setdefault(category, set()).add(recipient)
    return {category: sorted(names) for category, names in result.items()}
