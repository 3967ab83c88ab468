"""Who sees what, decided in one place for pages and exports alike (design: one presentation function takes a
frame or a text and the principal and applies masking and small-count suppression).

- Managers see everything in clear.
- Auditors see every record, with personal values masked (`j***@example.com`, `+1 *** *** 1234`) and
  a person's
  id replaced by the person's pseudonym (`P-` and 12 characters, privacy.pseudonyms: the same on
  every page and in every export, so a finding can be followed across files; an audit entry about a
  person names it too), and free text withheld: a note or a request's details can name anyone, and
  no rule can find every name in prose. Messages the product writes that quote what a file held
  (import rejection reasons) keep their words but lose the quoted value, emails and phone numbers.
- Everyone else (executives, admins) never receives a personal column or free text, and counts of 1-4 people
  are withheld (privacy.suppression): in a table (`present(..., counts=)`), a single figure
  (`present_count`) and a chart (`present_chart_counts`). Only this module imports
  privacy.suppression (.importlinter), so no page decides for itself who sees exact counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.auth.roles import may
from dashboard.auth.service import Principal
from dashboard.privacy.masking import mask_email, mask_phone, mask_value
from dashboard.privacy.pseudonyms import pseudonym
from dashboard.privacy.suppression import (
    MIN_GROUP_SIZE,
    WITHHELD,
    gaps_for_small_counts,
    suppress_count,
    suppress_small_counts,
)
from dashboard.settings import pseudonym_key
from data_access.models.enums import Role

__all__ = [
    "MIN_GROUP_SIZE",
    "WITHHELD",
    "present",
    "present_chart_counts",
    "present_count",
    "present_value",
    "redact",
    "sees_exact_counts",
    "withheld",
]

FREE_TEXT = "user.free_text"  # written by people: withheld from auditors whole
QUOTING_MESSAGE = "system.message"  # written by the product, may quote a value: the values are redacted
PERSON_ID = "system.person_id"  # the database's id of a person: auditors see the person's pseudonym

# column -> data category, for every column name that means the same thing wherever it appears; a frame whose
# column needs another reading (a request's free-text `outcome`) names it in `columns`.
PERSONAL_COLUMNS: Mapping[str, str] = {
    "requester_name": "user.name",
    "full_name": "user.name",
    "requester_email": "user.contact.email",
    "email": "user.contact.email",
    "requester_phone": "user.contact.phone_number",
    "phone": "user.contact.phone_number",
    "person_id": PERSON_ID,
    "consent_reference": "user.unique_id",
    "masked_sample": "user.contact.email",
    "details": FREE_TEXT,
    "note": FREE_TEXT,
    "raw": FREE_TEXT,
    "review_reason": FREE_TEXT,
    "extension_reason": FREE_TEXT,
    "rejection_reason": FREE_TEXT,
    "description": FREE_TEXT,  # a sharing's
    # an incident's assessment and its handling: prose that can name anyone
    "risk_reasoning": FREE_TEXT,
    "containment": FREE_TEXT,
    "delay_reason": FREE_TEXT,
}

_EMAIL = re.compile(r"[^\s'\"<>(),;:]+@[^\s'\"<>(),;:]+")
_PHONE = re.compile(r"\+?\d[\d ().-]{5,}\d")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def present(
    frame: pd.DataFrame,
    principal: Principal,
    *,
    columns: Mapping[str, str | None] | None = None,
    counts: Sequence[str] = (),
) -> pd.DataFrame:
    """`frame` as `principal` may see it; `columns` adds or overrides column categories for this frame and
    `counts` names the columns that count people (withheld below five for those without person.view); a
    column mapped to None is not a person's data in this frame (the staff table's `email`)."""
    categories = {
        name: category
        for name, category in {**PERSONAL_COLUMNS, **(columns or {})}.items()
        if name in frame.columns and category is not None
    }
    if principal.role == Role.MANAGER:
        return frame
    if principal.role == Role.AUDITOR:
        shown = frame.copy()
        key = pseudonym_key() if PERSON_ID in categories.values() or _names_people(frame) else b""
        for name, category in categories.items():
            shown[name] = (
                _pseudonyms(shown[name], key)
                if category == PERSON_ID
                else shown[name].map(lambda v, c=category: _for_auditor(c, v, key)).astype(object)
            )
        if _names_people(frame):
            people = frame["object_type"] == "person"
            shown.loc[people, "object_id"] = [pseudonym(key, v) for v in frame.loc[people, "object_id"]]
        return shown
    shown = frame.drop(columns=list(categories))
    if _names_people(frame):
        shown["object_id"] = pd.Series(
            [
                None if kind == "person" else oid
                for kind, oid in zip(frame["object_type"], frame["object_id"], strict=True)
            ],
            index=frame.index,
            dtype=object,
        )
    if not sees_exact_counts(principal) and counts:
        shown = suppress_small_counts(shown, [c for c in counts if c in shown.columns])
    shown.attrs = {**frame.attrs, **shown.attrs}
    return shown


def sees_exact_counts(principal: Principal) -> bool:
    """Who may see a person sees every count; for anyone else a count of 1-4 people is withheld."""
    return may(principal.role, "person.view")


def present_count(n: int | None, principal: Principal) -> int | None:
    """A count of people as `principal` may see it: None when withheld (format.count draws "<5")."""
    return n if sees_exact_counts(principal) else suppress_count(n)


def present_chart_counts(frame: pd.DataFrame, principal: Principal, counts: Sequence[str]) -> pd.DataFrame:
    """`frame` for a chart: unless `principal` sees exact counts, 1-4 in `counts` becomes a gap."""
    return frame if sees_exact_counts(principal) else gaps_for_small_counts(frame, counts)


def present_value(category: str, value: Any, principal: Principal) -> Any:
    """One value of `category` for `principal` (None for those who may not see it at all); also for free text
    outside a table."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return value
    if principal.role == Role.MANAGER:
        return value
    if principal.role != Role.AUDITOR:
        return None
    return _for_auditor(category, value, pseudonym_key() if category == PERSON_ID else b"")


def _for_auditor(category: str, value: Any, key: bytes) -> Any:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return value
    if category == PERSON_ID:
        return pseudonym(key, value)
    if category == FREE_TEXT:
        return withheld(str(value))
    if category == QUOTING_MESSAGE:
        return redact(str(value))
    return mask_value(category, value)


def _pseudonyms(ids: pd.Series, key: bytes) -> pd.Series:
    """Each distinct person once: an export of a million opt-outs names far fewer people."""
    names = {v: pseudonym(key, v) for v in ids.dropna().unique()}
    return ids.map(lambda v: names.get(v, v)).astype(object)


def _names_people(frame: pd.DataFrame) -> bool:
    """An audit-log frame, whose `object_id` is a person's id where `object_type` is "person"."""
    return {"object_type", "object_id"} <= set(frame.columns) and bool(
        (frame["object_type"] == "person").any()
    )


def withheld(text: str) -> str:
    return f"[withheld: {len(text)} characters]"


def redact(message: str) -> str:
    """A product message without the values it quotes: quoted values, emails and phone numbers are masked."""
    message = _QUOTED.sub(lambda m: f"{m.group()[0]}***{m.group()[0]}", message)
    message = _EMAIL.sub(lambda m: str(mask_email(m.group())), message)
    return _PHONE.sub(lambda m: str(mask_phone(m.group())), message)
