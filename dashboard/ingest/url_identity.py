"""Persistent identifiers and personal data carried in logged URLs.

Linking rule (how a log line is tied to a person): a URL carries an identifier when a query parameter
(names matched case-insensitively) or the path holds one:

- user_ref:   uid, user_id, userId, or a path segment /users/<ref>/ (query wins over path);
              matched against the person's own user id (people.external_ref).
- session_id: sid, session_id, sessionid; links the request to usage events of the same session.
- google_id:  gid, google_id;   cookie_id: cid, cookie_id, _ga;
              matched against the person's persistent identifiers (identifiers.kind/value).

Values are percent-decoded and stripped; the first occurrence of a kind wins; empty values, values over
128 characters (the identifier column) and non-identifiers after /users/ (me, new, login, ...) are ignored.
A line with no identifier stays unlinked: nothing is guessed from IP address or user agent.

`find_url_pii` reports personal data that should not be in URLs at all (emails, phone numbers, names).
It returns masked samples only (design: "j***@example.com", "+1 *** *** 1234", "J*** D***"): the clear
value must never reach the findings table or a screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus

_ID_MAX = 128
_ID_KINDS = {
    "uid": "user_ref",
    "user_id": "user_ref",
    "userid": "user_ref",
    "sid": "session_id",
    "session_id": "session_id",
    "sessionid": "session_id",
    "gid": "google_id",
    "google_id": "google_id",
    "cid": "cookie_id",
    "cookie_id": "cookie_id",
    "_ga": "cookie_id",
}
_ID_PARAM = re.compile(
    r"(?:^|[&;])(uid|user_?id|sid|session_?id|gid|google_id|cid|cookie_id|_ga)=([^&;#]*)", re.IGNORECASE
)
_USERS_SEGMENT = re.compile(r"/users/([^/?#;]+)(?:/|\Z)")
_NOT_A_USER = frozenset(
    {
        "me",
        "self",
        "current",
        "new",
        "edit",
        "search",
        "login",
        "logout",
        "signin",
        "sign_in",
        "signup",
        "sign_up",
        "register",
        "password",
        "settings",
    }
)

_PAIR_SEP = re.compile(r"[&;]")
_PII_HINT = re.compile(r"@|%40|phone|tel|mobile|msisdn|name|\+|%2b", re.IGNORECASE)
# Bounded repeats keep the scan linear on long hostile URLs (an unbounded local part is quadratic).
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}")
_E164 = re.compile(r"\+[1-9]\d{7,14}\Z", re.ASCII)
_PHONE_CHARS = re.compile(r"[\d\s()+./-]+\Z", re.ASCII)
_DIGIT = re.compile(r"\d", re.ASCII)
_NAME_PARAMS = frozenset(
    {"name", "first_name", "last_name", "fullname", "full_name", "firstname", "lastname"}
)
_PARAM_MAX = 64
_SAMPLE_MAX = 255


@dataclass(frozen=True, slots=True)
class UrlPiiFinding:
    kind: str  # "email", "phone" or "name"
    param: str  # the query parameter, or "(path)"
    sample: str  # masked, never the clear value


def extract_identifiers(path: str | None, query: str | None) -> dict[str, str]:
    """{"user_ref" | "session_id" | "google_id" | "cookie_id": value} found in the URL (see module doc)."""
    found: dict[str, str] = {}
    if query:
        for m in _ID_PARAM.finditer(query):
            raw = m.group(2)
            value = (unquote_plus(raw) if "%" in raw or "+" in raw else raw).strip()
            if value and len(value) <= _ID_MAX:
                found.setdefault(_ID_KINDS[m.group(1).lower()], value)
    if path and "/users/" in path and "user_ref" not in found:
        for m in _USERS_SEGMENT.finditer(path):
            ref = unquote(m.group(1)).strip()
            if ref and len(ref) <= _ID_MAX and ref.lower() not in _NOT_A_USER:
                found["user_ref"] = ref
                break
    return found


def find_url_pii(path: str | None, query: str | None) -> list[UrlPiiFinding]:
    """Emails (also percent-encoded), phone numbers and person names in a URL, with masked samples."""
    findings: dict[tuple[str, str], UrlPiiFinding] = {}
    if path and ("@" in path or "%40" in path):
        for email in _EMAIL.findall(unquote(path)):
            findings.setdefault(("email", "(path)"), UrlPiiFinding("email", "(path)", _mask_email(email)))
    if query and _PII_HINT.search(query):
        for pair in _PAIR_SEP.split(query):
            raw_name, _, raw_value = pair.partition("=")
            if not raw_value:
                continue
            param = unquote_plus(raw_name).strip()[:_PARAM_MAX]
            finding = _param_finding(param, raw_value)
            if finding is not None:
                findings.setdefault((finding.kind, param), finding)
    return list(findings.values())


def _param_finding(param: str, raw_value: str) -> UrlPiiFinding | None:
    exact = unquote(raw_value)  # '+' kept: it starts E.164 numbers and appears in email local parts
    email = _EMAIL.search(exact) if "@" in exact else None
    if email:
        return UrlPiiFinding("email", param, _mask_email(email.group()))
    spaced = unquote_plus(raw_value).strip()
    lowered = param.lower()
    if _E164.match(exact.strip()) or (_is_phone_param(lowered) and _looks_like_phone(spaced)):
        return UrlPiiFinding("phone", param, _mask_phone(exact.strip()))
    if lowered in _NAME_PARAMS and spaced:
        return UrlPiiFinding("name", param, _mask_name(spaced))
    return None


def _is_phone_param(lowered: str) -> bool:
    return (
        "phone" in lowered
        or "mobile" in lowered
        or "msisdn" in lowered
        or lowered in ("tel", "telephone")
        or lowered.startswith("tel_")
        or lowered.endswith("_tel")
    )


def _looks_like_phone(value: str) -> bool:
    return bool(_PHONE_CHARS.match(value)) and len(_DIGIT.findall(value)) >= 7


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"[:_SAMPLE_MAX]


def _mask_phone(value: str) -> str:
    digits = _DIGIT.findall(value)
    last4 = "".join(digits[-4:])
    return f"+{digits[0]} *** *** {last4}" if value.startswith("+") else f"*** *** {last4}"


def _mask_name(value: str) -> str:
    return " ".join(f"{part[:1]}***" for part in value.split())[:_SAMPLE_MAX] or "***"
