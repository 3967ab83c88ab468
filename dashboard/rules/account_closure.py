"""An account's closure as a billing platform exports it: a status and the time the account closed.

An account's retention runs from its closure (30 days, docs/retention.md), so the people import and
the sync carry it into `people.status` and `people.closed_at`. A closure time means the account is
closed; a status other than closed means it is open again, and its closure time is cleared (a
reopened account's data is in use again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.rules.field_error import FieldError
from data_access.models.enums import AccountStatus

# what a file or a source may say; `anonymised` is the erasure's alone
IMPORTED_STATUSES = (
    AccountStatus.ACTIVE.value,
    AccountStatus.SUSPENDED.value,
    AccountStatus.CLOSED.value,
)


@dataclass(frozen=True)
class Closure:
    """The account's state as the source states it: `status` None means "open" without saying which
    open status (a closed account becomes active, an active or suspended one stays as it is)."""

    status: AccountStatus | None
    closed_at: datetime | None

    def status_for(self, stored: AccountStatus) -> AccountStatus:
        if self.status is not None:
            return self.status
        return AccountStatus.ACTIVE if stored == AccountStatus.CLOSED else stored


def account_closure(
    status: str | None,
    closed_at: datetime | None,
    *,
    created_at: datetime | None,
    empty_means_open: bool = False,
) -> Closure | None:
    """The closure a row states. Both empty: None (the stored values stay; an import's empty cell
    never removes data) unless `empty_means_open` (a sync mapping that reads the source's closure
    column: NULL is open). Raises FieldError naming the column (`account_status`, `closed_at`) for a
    contradiction."""
    if status is not None and status not in IMPORTED_STATUSES:
        raise FieldError("account_status", f"{status!r} is not one of {', '.join(IMPORTED_STATUSES)}")
    if closed_at is None:
        if status == AccountStatus.CLOSED:
            raise FieldError(
                "closed_at",
                "required when account_status is closed (the account's retention runs from it)",
            )
        if status is None and not empty_means_open:
            return None
        return Closure(None if status is None else AccountStatus(status), None)
    if status not in (None, AccountStatus.CLOSED):
        raise FieldError(
            "account_status",
            f"{status!r} with a closed_at: an account closed at a time is closed "
            "(leave closed_at empty for an open account)",
        )
    if created_at is not None and closed_at < created_at:
        raise FieldError("closed_at", f"{closed_at.isoformat()} is before the account's created_at")
    return Closure(AccountStatus.CLOSED, closed_at)
