"""Access and portability requests: a zip the person can read and a machine can verify.

Contents: cover.html and cover.json (what GDPR Art. 15(1)-(2) asks to be told besides the copy: purposes,
categories, recipients, retention, rights, complaint, sources; access_cover.py), README.txt (what each file
holds, in plain words), data/<section>.json and
data/<section>.csv for every section of the per-person inventory (the same object the inventory
page shows), manifest.json, and SHA256SUMS in the format `sha256sum -c` checks. The package's own
SHA-256 is stored on the request as proof of what was produced.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.exports.checksummed_zip import checksummed_zip
from dashboard.exports.safe_cells import to_safe_csv
from dashboard.fulfilment.access_cover import build_cover, render_cover_html
from dashboard.inventory.labels import category_name
from dashboard.inventory.sections import section_categories
from dashboard.rules.request_workflow import WorkflowError
from dashboard.services.request_workflow import record_fulfilment, request_to_fulfil
from data_access.models.enums import RequestType
from data_access.queries.person_inventory import PersonInventory, person_inventory
from data_access.types import utcnow


@dataclass(frozen=True)
class AccessPackage:
    filename: str
    content: bytes
    sha256: str
    files: dict[str, str]  # name -> sha256


def fulfil_access(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    expected_version: int,
    now: datetime | None = None,
) -> AccessPackage:
    now = now or utcnow()
    request, person_id = request_to_fulfil(
        session,
        principal,
        request_id,
        expected_version,
        (RequestType.ACCESS, RequestType.PORTABILITY),
        "does not produce a package",
        "producing their data",
    )
    inventory = person_inventory(session=session, person_id=person_id, for_subject=True, today=now.date())
    if inventory is None:
        raise WorkflowError("person_id", f"no person with id {person_id}")
    package = build_package(inventory, regime=request.regime, reference=request.reference, generated=now)
    request.package_sha256 = package.sha256
    record_fulfilment(
        session=session,
        principal=principal,
        request=request,
        note=f"package {package.filename} built, sha256 {package.sha256}, {len(package.files)} files",
    )
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="request.access_package",
        object_type="subject_request",
        object_id=request.id,
        details={"sha256": package.sha256},
    )
    return package


def build_package(
    inventory: PersonInventory, *, regime: str, reference: str, generated: datetime
) -> AccessPackage:
    cover = build_cover(inventory, regime=regime, reference=reference, generated=generated)
    files: dict[str, bytes] = {
        "cover.html": render_cover_html(cover).encode("utf-8"),
        "cover.json": json.dumps(cover, indent=2, ensure_ascii=False).encode("utf-8"),
        "README.txt": _readme(inventory, reference, generated).encode("utf-8"),
    }
    for section, rows in inventory.sections.items():
        files[f"data/{section}.json"] = json.dumps(
            rows, default=_json_value, indent=2, ensure_ascii=False
        ).encode()
        files[f"data/{section}.csv"] = to_safe_csv(
            pd.DataFrame([{k: _cell(v) for k, v in r.items()} for r in rows])
        )
    sums = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    files["manifest.json"] = json.dumps(
        {
            "reference": reference,
            "generated": generated.isoformat(),
            "files": {n: {"sha256": h, "bytes": len(files[n])} for n, h in sums.items()},
        },
        indent=2,
    ).encode()
    sums["manifest.json"] = hashlib.sha256(files["manifest.json"]).hexdigest()
    content, _ = checksummed_zip(files)
    return AccessPackage(f"{reference}-your-data.zip", content, hashlib.sha256(content).hexdigest(), sums)


def _readme(inventory: PersonInventory, reference: str, generated: datetime) -> str:
    lines = [
        f"Your personal data held by Interface Billing (request {reference})",
        f"Produced {generated:%Y-%m-%d %H:%M} UTC.",
        "",
        "Start with cover.html: why we hold your data, who received it, how long we keep it, your rights and",
        "where to complain (the same in cover.json for a machine).",
        "",
        "Each section is given twice: as JSON (for other services: portability) and as CSV (for a "
        "spreadsheet).",
        "SHA256SUMS lets you check that no file was changed: run `sha256sum -c SHA256SUMS`.",
        "",
        "Sections:",
    ]
    for section, rows in inventory.sections.items():
        categories = ", ".join(category_name(key) for key in section_categories(section))
        lines.append(f"- data/{section}: {len(rows)} record(s); data categories: {categories}")
    lines += [
        "",
        "Server logs and product usage are summarised: how many requests, from which addresses and",
        "browsers, first and last seen, and which features you used.",
    ]
    if inventory.withheld:
        lines += ["", "Not included, as the law requires: " + "; ".join(inventory.withheld) + "."]
    lines += ["", "Questions or corrections: reply to the message that brought you this file."]
    return "\n".join(lines) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, default=_json_value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
