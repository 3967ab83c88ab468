"""The HTTP sign-in route of serve.py, through Starlette's test client (SQLite and PostgreSQL): CSRF, origin,
open-redirect and brute-force protection, the cookie's flags, and the gate in front of the app's pages."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from dashboard.audit.log import typed_value_digest
from dashboard.auth.service import Principal
from dashboard.auth.throttle import FailureThrottle
from dashboard.auth.web_sessions import SESSION_COOKIE
from dashboard.services.staff import create_account
from dashboard.settings import parse_trusted_proxies
from dashboard.web.client_address import client_address
from dashboard.web.sign_in import CSRF_COOKIE, SIGN_IN_PATH, WebSignIn, local_path
from data_access.db import make_engine, transaction
from data_access.models import AuditEntry, StaffAccount
from data_access.models.enums import Role
from data_access.pii_scan import scan_for_values
from tests.locking import write_lock_held

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(engine: Engine) -> TestClient:
    with transaction(engine) as session:
        for name in ("ann", "bob"):
            create_account(
                session=session,
                principal=Principal("root", "Root", Role.ADMIN),
                username=name,
                display_name=name.title(),
                role=Role.MANAGER,
                password=PASSWORD,
            )
    web = WebSignIn(lambda: engine, throttle=FailureThrottle(limit=8))
    page = Route(
        "/{path:path}", lambda request: PlainTextResponse("the app"), methods=["GET", "POST", "PUT", "DELETE"]
    )
    app = Starlette(routes=[*web.routes(), page], middleware=[web.middleware()])
    return TestClient(app, base_url="http://dash.test", follow_redirects=False)


def _csrf(client: TestClient, next_path: str = "/") -> str:
    form = client.get(SIGN_IN_PATH, params={"next": next_path})
    assert form.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert match is not None
    return match.group(1)


def _post(client: TestClient, username: str, password: str, next_path: str = "/", **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        SIGN_IN_PATH,
        data={
            "csrf": _csrf(client, next_path),
            "username": username,
            "password": password,
            "next": next_path,
        },
        headers=headers,
    )


def test_anonymous_page_requests_are_sent_to_sign_in_and_come_back_after_it(client: TestClient) -> None:
    redirect = client.get("/audit")
    assert redirect.status_code == 303 and redirect.headers["location"] == f"{SIGN_IN_PATH}?next=/audit"
    assert client.get("/_stcore/health").text == "the app"  # Streamlit's own routes are not gated
    response = _post(client, "ann", PASSWORD, "/audit")
    assert response.status_code == 303 and response.headers["location"] == "/audit"
    set_cookie = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in set_cookie if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Path=/" in session_cookie
    assert client.get("/audit").text == "the app"
    assert client.get(SIGN_IN_PATH, params={"next": "/requests"}).headers["location"] == "/requests"


def test_the_csrf_cookie_is_strict_and_httponly_and_must_match_the_form(client: TestClient) -> None:
    form = client.get(SIGN_IN_PATH)
    csrf_cookie = next(c for c in form.headers.get_list("set-cookie") if c.startswith(f"{CSRF_COOKIE}="))
    assert "HttpOnly" in csrf_cookie and "SameSite=strict" in csrf_cookie
    for guess in ("guessed", "été-ünïcode"):  # a non-ASCII token is refused too, not a server error
        forged = client.post(SIGN_IN_PATH, data={"csrf": guess, "username": "ann", "password": PASSWORD})
        assert forged.status_code == 403 and SESSION_COOKIE not in forged.cookies
    client.cookies.clear()
    no_cookie = client.post(SIGN_IN_PATH, data={"csrf": "x", "username": "ann", "password": PASSWORD})
    assert no_cookie.status_code == 403


def test_a_post_from_another_origin_is_refused(client: TestClient) -> None:
    response = _post(client, "ann", PASSWORD, Origin="https://evil.example")
    assert response.status_code == 403 and SESSION_COOKIE not in response.cookies


def test_next_cannot_redirect_off_site() -> None:
    for hostile in (
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        None,
        "",
    ):
        assert local_path(hostile) == "/"
    assert local_path("/requests") == "/requests"


def _error(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'<p class="error" role="alert">(.*?)</p>', response.text)
    assert match is not None, response.text
    return match.group(1)


def test_a_wrong_password_is_refused_audited_and_five_lock_the_account(
    client: TestClient, engine: Engine
) -> None:
    for _ in range(5):
        refused = _post(client, "ann", "wrong password!")
        assert refused.status_code == 401 and "Unknown username or wrong password" in refused.text
    locked = _post(client, "ann", PASSWORD)  # the right password, but the account is locked
    assert locked.status_code == 401 and SESSION_COOKIE not in locked.cookies
    with transaction(engine) as session:
        assert (
            session.scalar(select(StaffAccount.locked_until).where(StaffAccount.username == "ann"))
            is not None
        )
        entries = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.details).where(
                AuditEntry.action.like("auth.sign_in_%")
            )
        ).all()
    digest = typed_value_digest("ann")
    actions = [e.action for e in entries if e.details.get("username_digest") == digest]
    assert actions.count("auth.sign_in_failed") == 5 and "auth.sign_in_refused" in actions
    assert {e.actor for e in entries} == {"anonymous"}  # a refused sign-in authenticated no one
    assert PASSWORD not in refused.text


def test_a_typed_username_never_reaches_the_database_in_clear(client: TestClient, engine: Engine) -> None:
    """Item 1 of the hardening issue: a failed sign-in typed as a person's email wrote it into the audit log,
    where erasure could never remove it. Only a keyed digest of what was typed is recorded."""
    for typed in ("Victim.Person@Example.com", "ann"):
        assert _post(client, typed, "wrong password!").status_code == 401
    with transaction(engine) as session:
        assert scan_for_values(session=session, values=("victim.person@example.com",)) == []
        details = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "auth.sign_in_failed")
        ).all()
    assert {d["username_digest"] for d in details} == {
        typed_value_digest("victim.person@example.com"),
        typed_value_digest("ann"),
    }


def test_unknown_known_and_locked_accounts_get_the_same_answer(client: TestClient) -> None:
    """Item 10: only known accounts were ever "locked", so the message told which usernames exist."""
    unknown = _post(client, "nobody", "wrong password!")
    known = _post(client, "bob", "wrong password!")
    for _ in range(4):
        _post(client, "ann", "wrong password!")
    locking = _post(client, "ann", "wrong password!")
    locked_right = _post(client, "ann", PASSWORD)  # the 8th failure: the test brake's limit, still answered
    answers = {(r.status_code, _error(r)) for r in (unknown, known, locking, locked_right)}
    assert len(answers) == 1


def test_one_client_spraying_many_accounts_is_slowed_down(client: TestClient) -> None:
    for attempt in range(8):  # the test brake allows 8 failures; spread over two accounts none is locked
        assert _post(client, ("ann", "bob")[attempt % 2], "wrong password!").status_code == 401
    braked = _post(client, "bob", PASSWORD)
    assert braked.status_code == 429 and "Too many failed sign-ins" in braked.text
    assert SESSION_COOKIE not in braked.cookies


def test_the_form_page_escapes_next(client: TestClient) -> None:
    page = client.get(SIGN_IN_PATH, params={"next": '/"><script>alert(1)</script>'})
    assert "<script>alert" not in page.text


def _uvicorn_trusted_hosts_as_served() -> str:
    """What uvicorn, started by Streamlit for serve.py, trusts to rewrite the client address from
    X-Forwarded-For.
    Read in a fresh process: importing serve.py here would mount the sign-in route for every later test."""
    probe = "import serve, uvicorn; print(repr(uvicorn.Config(serve.app).forwarded_allow_ips))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"FORWARDED_ALLOW_IPS": "127.0.0.1,::1"},
    )
    assert done.returncode == 0, done.stderr
    return str(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


def test_x_forwarded_for_does_not_escape_the_per_client_limit(engine: Engine) -> None:
    """Item 5: uvicorn trusted X-Forwarded-For from 127.0.0.1, where every request arrives behind a
    TCP forwarder or a local proxy, so a client chose a new address per guess. With no trusted
    proxies configured, the peer address decides, whatever the header says."""
    with transaction(engine) as session:
        create_account(
            session=session,
            principal=Principal("root", "Root", Role.ADMIN),
            username="ann",
            display_name="Ann",
            role=Role.MANAGER,
            password=PASSWORD,
        )
    web = WebSignIn(lambda: engine, throttle=FailureThrottle(limit=4))
    app = Starlette(routes=web.routes(), middleware=[web.middleware()])
    served = ProxyHeadersMiddleware(app, trusted_hosts=_uvicorn_trusted_hosts_as_served())  # type: ignore[arg-type]
    client = TestClient(
        served, base_url="http://dash.test", follow_redirects=False, client=("127.0.0.1", 40000)
    )
    for attempt in range(4):
        assert (
            _post(
                client, "ann", "wrong password!", **{"X-Forwarded-For": f"198.51.100.{attempt}"}
            ).status_code
            == 401
        )
    braked = _post(client, "ann", PASSWORD, **{"X-Forwarded-For": "198.51.100.99"})
    assert braked.status_code == 429


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(engine: Engine) -> None:
    proxies = parse_trusted_proxies("127.0.0.1, 10.0.0.0/8")
    web = WebSignIn(lambda: engine, throttle=FailureThrottle(limit=2), trusted_proxies=proxies)
    app = Starlette(routes=web.routes(), middleware=[web.middleware()])
    client = TestClient(app, base_url="http://dash.test", follow_redirects=False, client=("127.0.0.1", 40000))
    for forged in ("1.1.1.1", "2.2.2.2"):  # the left part is whatever the client wrote: it does not count
        header = {"X-Forwarded-For": f"{forged}, 203.0.113.7, 10.1.2.3"}
        assert _post(client, "nobody", "wrong password!", **header).status_code == 401
    assert _post(client, "nobody", "x", **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert (
        _post(client, "nobody", "x", **{"X-Forwarded-For": "203.0.113.8"}).status_code == 401
    )  # another client


def test_client_address_rule() -> None:
    trusted = parse_trusted_proxies("192.0.2.1,10.0.0.0/8,::1")
    assert (
        client_address("198.51.100.5", ["1.2.3.4"], trusted) == "198.51.100.5"
    )  # peer not a proxy: header ignored
    assert client_address("192.0.2.1", ["1.2.3.4, 203.0.113.9"], trusted) == "203.0.113.9"
    assert client_address("192.0.2.1", ["1.2.3.4", "203.0.113.9, 10.0.0.2"], trusted) == "203.0.113.9"
    assert client_address("192.0.2.1", [], trusted) == "192.0.2.1"
    assert client_address("::1", ["10.0.0.3, 10.0.0.2"], trusted) == "10.0.0.3"  # all proxies: the first hop
    assert client_address(None, [], trusted) == "unknown"
    assert client_address("192.0.2.1", ["1.2.3.4"], ()) == "192.0.2.1"
    with pytest.raises(ValueError, match="COMPLIANCE_TRUSTED_PROXIES.*not-an-ip"):
        parse_trusted_proxies("10.0.0.1, not-an-ip")


def test_while_an_import_holds_the_database_sign_in_answers_busy_not_500(
    engine: Engine, short_busy_timeout: int
) -> None:
    """A sign-in writes (the session row, the audit entry): while an import holds the write lock
    (SQLite) or the audit chain's head (PostgreSQL) it answers 503 with a page saying to try again,
    never a server error."""
    url = engine.url.render_as_string(hide_password=False)
    with transaction(engine) as session:
        create_account(
            session=session,
            principal=Principal("root", "Root", Role.ADMIN),
            username="ann",
            display_name="Ann",
            role=Role.MANAGER,
            password=PASSWORD,
        )
    busy_engine = make_engine(url)  # made after the short timeout was set
    web = WebSignIn(lambda: busy_engine)
    app = Starlette(routes=web.routes(), middleware=[web.middleware()])
    client = TestClient(
        app, base_url="http://dash.test", follow_redirects=False, raise_server_exceptions=False
    )
    try:
        csrf = _csrf(client)
        with write_lock_held(engine):
            response = client.post(
                SIGN_IN_PATH, data={"csrf": csrf, "username": "ann", "password": PASSWORD, "next": "/"}
            )
        assert response.status_code == 503, response.text
        assert "busy" in response.text and "try again" in response.text
        assert response.headers.get("retry-after") and SESSION_COOKIE not in response.cookies
        assert (
            _post(client, "ann", PASSWORD).status_code == 303
        )  # and once it is free, the sign-in goes through
    finally:
        busy_engine.dispose()


def test_while_sqlite_is_locked_a_signed_in_page_request_answers_busy_not_500(
    engine: Engine, short_busy_timeout: int
) -> None:
    """The gate refreshes the session's idle clock (a write, once a minute) before a page is served."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL: refreshing a session's row waits for no import (imports do not lock it)")
    with transaction(engine) as session:
        create_account(
            session=session,
            principal=Principal("root", "Root", Role.ADMIN),
            username="ann",
            display_name="Ann",
            role=Role.MANAGER,
            password=PASSWORD,
        )
    busy_engine = make_engine(engine.url.render_as_string(hide_password=False))
    now = [datetime.now(UTC)]
    web = WebSignIn(lambda: busy_engine, clock=lambda: now[0])
    page = Route("/{path:path}", lambda request: PlainTextResponse("the app"))
    app = Starlette(routes=[*web.routes(), page], middleware=[web.middleware()])
    client = TestClient(
        app, base_url="http://dash.test", follow_redirects=False, raise_server_exceptions=False
    )
    try:
        assert _post(client, "ann", PASSWORD).status_code == 303
        now[0] += timedelta(minutes=2)  # time for the idle clock to be written again
        with write_lock_held(engine):
            response = client.get("/audit")
        assert response.status_code == 503 and "busy" in response.text and response.headers.get("retry-after")
        assert client.get("/audit").text == "the app"
    finally:
        busy_engine.dispose()


# Streamlit's routes that hand out files or internals: the download (media) files, uploads, the
# metrics and the agent API (streamlit/web/server/starlette/starlette_routes.py,
# starlette_agent_routes.py).
FILE_URLS = [
    ("GET", "/media/0123abcd.csv"),
    ("PUT", "/_stcore/upload_file/session/file"),
    ("DELETE", "/_stcore/upload_file/session/file"),
    ("GET", "/_stcore/metrics"),
    ("POST", "/_stcore/agent/interact"),
    ("GET", "/app/static/file.txt"),
    ("GET", "/component/x/index.html"),
]


@pytest.mark.parametrize(("method", "url"), FILE_URLS)
def test_files_and_metrics_need_a_live_session_cookie(client: TestClient, method: str, url: str) -> None:
    refused = client.request(method, url)
    assert refused.status_code == 401 and "the app" not in refused.text
    client.cookies.set(SESSION_COOKIE, "forged-or-ended-token")
    assert client.request(method, url).status_code == 401
    client.cookies.clear()
    assert _post(client, "ann", PASSWORD).status_code == 303
    assert client.request(method, url).text == "the app"
