"""Who may open which page and perform which action (design: 'Who uses it').

One table, read by navigation, by every page guard and by every service call, so a
forbidden combination is refused on the server, not merely hidden.
"""

from __future__ import annotations

from data_access.models.enums import Role

MANAGER, EXECUTIVE, AUDITOR, ADMIN = Role.MANAGER, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN

# page slug -> roles that may open it. Executives get aggregate views only (enforced in services).
PAGE_ROLES: dict[str, frozenset[Role]] = {
    "overview": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "inventory": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "usage": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "communications": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "sharing": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "legal": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "requests": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "policy": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "security": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "audit": frozenset({MANAGER, AUDITOR}),
    "imports": frozenset({MANAGER, AUDITOR}),
    "admin": frozenset({ADMIN}),
}

# action -> roles that may perform it.
ACTION_ROLES: dict[str, frozenset[Role]] = {
    "person.view": frozenset({MANAGER, AUDITOR}),
    "metrics.view": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "metrics.download": frozenset({MANAGER, EXECUTIVE, AUDITOR}),
    "register.view": frozenset({MANAGER, AUDITOR}),
    "request.create": frozenset({MANAGER}),
    "request.update": frozenset({MANAGER}),
    "request.fulfil": frozenset({MANAGER}),
    "optout.record": frozenset({MANAGER}),
    "sharing.record": frozenset({MANAGER}),
    "legal.record": frozenset({MANAGER}),
    # national security process one by one: only those who answer it (others see bands, rules.transparency)
    "legal.national_security.view": frozenset({MANAGER}),
    "transfer.record": frozenset({MANAGER}),
    "policy.record": frozenset({MANAGER}),
    "incident.record": frozenset({MANAGER}),
    "person.litigation_hold": frozenset({MANAGER}),
    "import.run": frozenset({MANAGER}),
    "export.download": frozenset({MANAGER, AUDITOR}),
    "audit.view": frozenset({MANAGER, AUDITOR}),
    "audit.verify": frozenset({MANAGER, AUDITOR}),
    "staff.manage": frozenset({ADMIN}),
}


class AccessDenied(PermissionError):
    """Raised when a role attempts a page or action it is not granted; callers audit it."""

    def __init__(self, role: str | None, what: str) -> None:
        super().__init__(f"role {role or 'anonymous'!s} may not {what}")
        self.role = role
        self.what = what


def may_open(role: Role | str | None, page: str) -> bool:
    return role is not None and Role(role) in PAGE_ROLES.get(page, frozenset())


def may(role: Role | str | None, action: str) -> bool:
    if action not in ACTION_ROLES:
        raise KeyError(f"unknown action {action!r}")
    return role is not None and Role(role) in ACTION_ROLES[action]


def require(role: Role | str | None, action: str) -> None:
    """Service-level guard: raise AccessDenied unless `role` may perform `action`."""
    if not may(role, action):
        raise AccessDenied(str(role) if role else None, action)


def sees_pii(role: Role | str | None) -> bool:
    """Managers see PII in clear; auditors masked; executives and admins never."""
    return role is not None and Role(role) in {MANAGER, AUDITOR}
