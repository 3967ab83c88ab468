"""The cover of an access package: what GDPR Art. 15(1) and (2) say a person must be told besides the copy of
their data, in words they can read: purposes, categories, recipients, retention, rights, where to complain,
where data came from when not from them, automated decisions, and transfers abroad. Built from the person's
inventory and the data map, so it says what is true of this person, not a generic notice
(docs/access-package.md).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from dashboard.inventory.data_map import MappedField, load_data_map
from dashboard.inventory.labels import category_description, category_name, data_use_name
from dashboard.rules.regimes import REGIME_LABELS
from dashboard.rules.subject_rights import rights_statement
from data_access.queries.person_inventory import SECTION_TABLES, PersonInventory

PROVIDED = "provided by the user"
PRODUCED_OUTCOMES = ("all", "some")
UNRECORDED = "categories not recorded"


def build_cover(
    inventory: PersonInventory, *, regime: str, reference: str, generated: datetime
) -> dict[str, Any]:
    """The cover as plain data (written as cover.json, drawn as cover.html)."""
    data_map = load_data_map()
    tables = {
        table for section, rows in inventory.sections.items() if rows for table in SECTION_TABLES[section]
    }
    fields = [f for f in data_map.fields if f.table in tables]  # this person's tables, not staff or others'
    held = sorted({f.category for f in fields})
    statement = rights_statement(regime)
    return {
        "reference": reference,
        "generated": generated.isoformat(),
        "controller": {
            "name": data_map.controller.get("name"),
            "contact": data_map.controller.get("contact"),
        },
        "law": REGIME_LABELS.get(regime, regime),
        "categories": [_category(key, [f for f in fields if f.category == key]) for key in held],
        "recipients": _recipients(inventory),
        "sources_other_than_you": sorted(
            {f"{category_name(f.category)}: {f.source} ({f.storage})" for f in fields if f.source != PROVIDED}
        ),
        "automated_decisions": _automated_decisions(fields),
        "transfers_abroad": data_map.controller.get("third_country_transfers"),
        "rights": [{"right": r.name, "what": r.what, "source": r.source} for r in statement.rights],
        "complaint": {"how": statement.complaint, "source": statement.complaint_source},
        "withheld": list(inventory.withheld),
    }


def _category(key: str, fields: list[MappedField]) -> dict[str, Any]:
    return {
        "category": category_name(key),
        "description": category_description(key),
        "key": key,
        "purposes": sorted({data_use_name(f.purpose) for f in fields}),
        "legal_bases": sorted({f.legal_basis.replace("_", " ") for f in fields}),
        "retention": sorted({f.retention for f in fields}),
        "source": sorted({f.source for f in fields}),
    }


def _recipients(inventory: PersonInventory) -> list[dict[str, Any]]:
    """Each recipient once, by name (CJEU C-154/21: the recipients themselves where known, not only
    their kinds), with the first and last time, how often, and what they received."""
    events = [
        (
            row["recipient"],
            str(row["recipient_role"]).replace("_", " "),
            row["shared_at"],
            row["categories"] or [],
            data_use_name(row["purpose"]) if row["purpose"] else "the service",
        )
        for row in inventory.sections.get("sharing", [])
    ]
    events += [
        (
            row["authority"],
            "public authority (legal request)",
            row["disclosed_at"],
            row["categories_disclosed"] or [],
            "a disclosure required by law",
        )
        for row in inventory.sections.get("legal_disclosures", [])
        if row["outcome"] in PRODUCED_OUTCOMES
    ]
    grouped: dict[tuple[str, str], list[tuple[Any, list[str], str]]] = {}
    for name, kind, when, categories, purpose in events:
        grouped.setdefault((name, kind), []).append((when, categories, purpose))
    return [
        {
            "recipient": name,
            "kind": kind,
            "times": len(items),
            "first": _date(min((w for w, _, _ in items if w), default=None)),
            "last": _date(max((w for w, _, _ in items if w), default=None)),
            "categories": sorted({category_name(c) for _, cs, _ in items for c in cs}),
            "purposes": sorted({p for _, _, p in items}),
        }
        for (name, kind), items in sorted(grouped.items())
    ]


def _automated_decisions(fields: list[MappedField]) -> str:
    profiling = sorted({data_use_name(f.purpose) for f in fields if "profiling" in f.purpose})
    if profiling:
        return "Your data is used for: " + ", ".join(profiling) + "."
    return (
        "None: our data map records no decision about you made solely by automated means, "
        "profiling included, "
        "with legal or similarly significant effects (Art. 22)."
    )


def _date(value: Any) -> str | None:
    return value.date().isoformat() if isinstance(value, datetime) else (str(value) if value else None)


def render_cover_html(cover: dict[str, Any]) -> str:
    """A self-contained page (no outside fetch), every value escaped."""
    e = html.escape
    rows = "".join(
        f"<tr><td><b>{e(c['category'])}</b><br><small>{e(c['description'])}</small></td>"
        f"<td>{e(', '.join(c['purposes']))}</td><td>{e(', '.join(c['legal_bases']))}</td>"
        f"<td>{e('; '.join(c['retention']))}</td><td>{e(', '.join(c['source']))}</td></tr>"
        for c in cover["categories"]
    )
    recipients = (
        "".join(
            f"<li><b>{e(r['recipient'])}</b> ({e(r['kind'])}): "
            f"{e(', '.join(r['categories']) or UNRECORDED)}, "
            f"for {e(', '.join(r['purposes']))}; {r['times']} time(s), "
            f"{e(r['first'] or 'date not recorded')} to {e(r['last'] or 'date not recorded')}</li>"
            for r in cover["recipients"]
        )
        or "<li>We have not shared your data with anyone outside our company.</li>"
    )
    rights = "".join(
        f"<li><b>{e(r['right'])}</b>: {e(r['what'])} <small>({e(r['source'])})</small></li>"
        for r in cover["rights"]
    )
    sources = "".join(f"<li>{e(s)}</li>" for s in cover["sources_other_than_you"]) or "<li>All from you.</li>"
    withheld = f"<h2>Not included</h2><p>{e('; '.join(cover['withheld']))}.</p>" if cover["withheld"] else ""
    controller = cover["controller"]
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Your data at {e(controller["name"] or "")}: request {e(cover["reference"])}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.45;color:#222}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.4rem;vertical-align:top;
text-align:left}}th{{background:#f3f3f3}}small{{color:#555}}</style></head><body>
<h1>Your data at {e(controller["name"] or "")}</h1>
<p>Answer to your request {e(cover["reference"])}, produced \
{e(cover["generated"][:16].replace("T", " "))} UTC,
under {e(cover["law"])}. The files in <code>data/</code> hold a copy of everything we hold about \
you; this page
says why we hold it, who received it, how long we keep it and what you can do.</p>
<h2>What we hold, why, and for how long</h2>
<table><tr><th>Data</th><th>Purposes</th><th>Legal basis</th><th>Kept</th><th>Source</th></tr>{rows}</table>
<h2>Who received it</h2><ul>{recipients}</ul>
<p>Transfers outside your country: {e(cover["transfers_abroad"] or "none")}.</p>
<h2>Where it came from, when not from you</h2><ul>{sources}</ul>
<h2>Automated decisions</h2><p>{e(cover["automated_decisions"])}</p>
<h2>Your rights</h2><ul>{rights}</ul>
<h2>Complaints</h2><p>{e(cover["complaint"]["how"])} <small>({e(cover["complaint"]["source"])})</small></p>
{withheld}
<h2>Contact</h2><p>{e(controller["contact"] or "")}</p>
</body></html>
"""
