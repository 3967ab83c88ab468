"""What an export says about itself on its cover: what it is, for which period, as of when, for whom it was
made, and how a reader checks it against the audit log, so a file taken away can be verified without help."""

from __future__ import annotations

from datetime import datetime

from dashboard.auth.service import Principal
from dashboard.privacy.pseudonyms import key_id
from dashboard.settings import pseudonym_key
from data_access.models.enums import Role


def export_cover(
    *, principal: Principal, since: datetime, until: datetime, generated: datetime, audit_head: str
) -> list[tuple[str, str]]:
    return [
        ("Period", f"{since:%Y-%m-%d} to {until:%Y-%m-%d} (end excluded), times in UTC"),
        ("As of", f"the end of the period: statuses and checks as they stood at {until:%Y-%m-%d %H:%M} UTC"),
        ("Generated", f"{generated:%Y-%m-%d %H:%M} UTC by {principal.username} ({principal.role})"),
        ("Personal data", "masked (auditor's view)" if principal.role == Role.AUDITOR else "in clear"),
        *(
            [
                (
                    "Person pseudonyms",
                    f"a person's id shows as the person's pseudonym (P-...), the same in every page and "
                    f"export made under pseudonym key {key_id(pseudonym_key())}; files with "
                    "another key id name people "
                    "differently",
                )
            ]
            if principal.role == Role.AUDITOR
            else []
        ),
        ("Audit log head", audit_head),
        (
            "How to verify",
            "The head above is the hash of the newest audit entry when this file was made. On the "
            "dashboard's machine, `compliance audit verify --head <head>` exits 0 only if every "
            "entry up to it is "
            "unchanged; the export of this file is itself an audit entry (action export.xlsx or "
            "export.evidence) "
            "holding the file's SHA-256. In an evidence package, `sha256sum -c SHA256SUMS` checks "
            "every file.",
        ),
    ]
