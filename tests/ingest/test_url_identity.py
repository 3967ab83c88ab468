"""Identifiers that link a logged URL to a person, and personal data that should never be in a URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ingest.access_log_parser import AccessLine, iter_lines, parse_access_line
from dashboard.ingest.url_identity import UrlPiiFinding, extract_identifiers, find_url_pii

CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"


@pytest.mark.parametrize(
    ("param", "kind"),
    [
        ("uid", "user_ref"),
        ("user_id", "user_ref"),
        ("userId", "user_ref"),
        ("sid", "session_id"),
        ("session_id", "session_id"),
        ("sessionid", "session_id"),
        ("gid", "google_id"),
        ("google_id", "google_id"),
        ("cid", "cookie_id"),
        ("cookie_id", "cookie_id"),
        ("_ga", "cookie_id"),
    ],
)
def test_each_identifier_parameter(param: str, kind: str) -> None:
    assert extract_identifiers("/x", f"a=1&{param}=v%2D1&b=2") == {kind: "v-1"}


def test_corpus_line_carries_user_and_session() -> None:
    line = parse_access_line(dict(iter_lines(CORPUS))[24])
    assert isinstance(line, AccessLine)
    assert extract_identifiers(line.path, line.query) == {"user_ref": "u-1001", "session_id": "s-9"}


def test_users_path_segment() -> None:
    assert extract_identifiers("/users/u%2042/invoices", None) == {"user_ref": "u 42"}
    assert extract_identifiers("/api/users/abc", None) == {"user_ref": "abc"}
    assert extract_identifiers("/users/me/", None) == {}
    assert extract_identifiers("/users/sign_in", None) == {}
    assert extract_identifiers("/users/", None) == {}
    assert extract_identifiers("/users/from-path/", "uid=from-query") == {"user_ref": "from-query"}


def test_values_that_identify_nothing_are_ignored() -> None:
    assert extract_identifiers(None, None) == {}
    assert extract_identifiers("/", "") == {}
    assert extract_identifiers("/", "uid=&sid=%20") == {}
    assert extract_identifiers("/", "uid=" + "x" * 129) == {}
    assert extract_identifiers("/", "xuid=1&uidx=2&cidr=3") == {}


def test_first_occurrence_wins_and_names_ignore_case() -> None:
    assert extract_identifiers("/", "UID=first&uid=second;SID=s") == {"user_ref": "first", "session_id": "s"}


# --- personal data in URLs -----------------------------------------------------------------------------


def test_percent_encoded_email_in_query_is_masked() -> None:
    findings = find_url_pii("/users/u-1001/profile", "uid=u-1001&email=jane%40example.com&sid=s-9")
    assert findings == [UrlPiiFinding("email", "email", "j***@example.com")]


def test_email_in_path_and_in_any_parameter() -> None:
    assert find_url_pii("/unsubscribe/john.doe%40mail.example.org", None) == [
        UrlPiiFinding("email", "(path)", "j***@mail.example.org")
    ]
    assert find_url_pii("/", "next=%2Fhome%3Fu%3Danna%2Btag%40ex.io") == [
        UrlPiiFinding("email", "next", "a***@ex.io")
    ]


def test_phone_numbers() -> None:
    assert find_url_pii("/", "phone=%2B1+415+555+0123") == [
        UrlPiiFinding("phone", "phone", "+1 *** *** 0123")
    ]
    assert find_url_pii("/", "mobileNumber=0612345678") == [
        UrlPiiFinding("phone", "mobileNumber", "*** *** 5678")
    ]
    assert find_url_pii("/", "to=%2B447911123456") == [UrlPiiFinding("phone", "to", "+4 *** *** 3456")]
    assert find_url_pii("/", "tel=12") == []  # too short to be a number
    assert find_url_pii("/", "order=44791112345&page=2") == []  # digits alone are not a phone


def test_person_names() -> None:
    assert find_url_pii("/", "first_name=Jane&last_name=Doe&full_name=Jane+Q+Doe") == [
        UrlPiiFinding("name", "first_name", "J***"),
        UrlPiiFinding("name", "last_name", "D***"),
        UrlPiiFinding("name", "full_name", "J*** Q*** D***"),
    ]
    assert find_url_pii("/", "name=&fullname=+") == []
    assert find_url_pii("/", "username=jdoe") == []


def test_nothing_to_find() -> None:
    assert find_url_pii(None, None) == []
    assert find_url_pii("/invoices", "page=2&sort=date+desc") == []


@given(
    st.from_regex(r"[a-z][a-z0-9.]{1,20}", fullmatch=True),
    st.from_regex(r"[a-z]{2,10}\.(com|org|io)", fullmatch=True),
)
def test_samples_never_hold_the_clear_email(local: str, domain: str) -> None:
    email = f"{local}@{domain}"
    for path, query in (("/", f"e={email.replace('@', '%40')}"), (f"/p/{email}", None)):
        findings = find_url_pii(path, query)
        assert [f.sample for f in findings] == [f"{local[0]}***@{domain}"]
        assert all(email not in f.sample for f in findings)


@given(st.text(max_size=200), st.text(max_size=200))
def test_any_url_text_is_handled(path: str, query: str) -> None:
    assert isinstance(extract_identifiers(path, query), dict)
    for finding in find_url_pii(path, query):
        assert finding.kind in {"email", "phone", "name"} and "***" in finding.sample
        assert len(finding.param) <= 64 and len(finding.sample) <= 255
