"""The page registry: one entry per script in pages/, filtered by role for the navigation menu."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.auth.roles import may_open
from data_access.models.enums import Role


@dataclass(frozen=True)
class PageSpec:
    slug: str
    script: str
    title: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", "Overview", ":material/dashboard:"),
    PageSpec("inventory", "pages/inventory.py", "Data inventory", ":material/inventory_2:"),
    PageSpec("usage", "pages/usage.py", "Usage metrics", ":material/monitoring:"),
    PageSpec("communications", "pages/communications.py", "Opt-outs", ":material/unsubscribe:"),
    PageSpec("sharing", "pages/sharing.py", "Third-party sharing", ":material/share:"),
    PageSpec("legal", "pages/legal.py", "Legal disclosures", ":material/gavel:"),
    PageSpec("requests", "pages/requests.py", "Subject requests", ":material/assignment_ind:"),
    PageSpec("policy", "pages/policy.py", "Policy", ":material/policy:"),
    PageSpec("security", "pages/security.py", "Security", ":material/security:"),
    PageSpec("audit", "pages/audit.py", "Audit and reports", ":material/fact_check:"),
    PageSpec("imports", "pages/imports.py", "Import", ":material/upload_file:"),
    PageSpec("admin", "pages/admin.py", "Admin", ":material/admin_panel_settings:"),
)


def pages_for(role: Role | None) -> list[PageSpec]:
    return [page for page in PAGES if may_open(role, page.slug)]
