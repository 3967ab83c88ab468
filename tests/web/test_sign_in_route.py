"""The HTTP sign-in route of serve.py, through Starlette's test client (SQLite and PostgreSQL): CSRF, origin,
open-redirect and brute-force protection, the cookie's flags, and the gate in front of the app's pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.auth.service import Principal
from dashboard.auth.throttle import FailureThrottle
from dashboard.auth.web_sessions import SESSION_COOKIE
from dashboard.services.staff import create_account
from dashboard.web.sign_in import CSRF_COOKIE, SIGN_IN_PATH, WebSignIn, local_path
from data_access.db import transaction
from data_access.models import AuditEntry, StaffAccount
from data_access.models.enums import Role

PASSWORD = "correct horse battery"


@pytest.fixture
def client(engine: Engine) -> TestClient:
    with transaction(engine) as session:
        for name in ("ann", "bob"):
            create_account(session=session, principal=Principal("root", "Root", Role.ADMIN), username=name,
                           display_name=name.title(), role=Role.MANAGER, password=PASSWORD)
    web = WebSignIn(lambda: engine, throttle=FailureThrottle(limit=8))
    page = Route("/{path:path}", lambda request: PlainTextResponse("the app"),
                 methods=["GET", "POST", "PUT", "DELETE"])
    app = Starlette(routes=[*web.routes(), page], middleware=[web.middleware()])
    return TestClient(app, base_url="http://dash.test", follow_redirects=False)


def _csrf(client: TestClient, next_path: str = "/") -> str:
    form = client.get(SIGN_IN_PATH, params={"next": next_path})
    assert form.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert match is not None
    return match.group(1)


def _post(client: TestClient, username: str, password: str, next_path: str = "/", **headers: str):  # type: ignore[no-untyped-def]
    return client.post(SIGN_IN_PATH, data={"csrf": _csrf(client, next_path), "username": username,
                                           "password": password, "next": next_path}, headers=headers)


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
    for hostile in ("//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", None, ""):
        assert local_path(hostile) == "/"
    assert local_path("/requests") == "/requests"


def test_a_wrong_password_is_refused_audited_and_five_lock_the_account(client: TestClient, engine: Engine) -> None:
    for _ in range(5):
        refused = _post(client, "ann", "wrong password!")
        assert refused.status_code == 401 and "Unknown username or wrong password" in refused.text
    locked = _post(client, "ann", PASSWORD)
    assert locked.status_code == 401 and "locked" in locked.text
    with transaction(engine) as session:
        assert session.scalar(select(StaffAccount.locked_until).where(StaffAccount.username == "ann")) is not None
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "ann")).all()
    assert actions.count("auth.sign_in_failed") == 5 and "auth.sign_in_refused" in actions
    assert PASSWORD not in refused.text


def test_one_client_spraying_many_accounts_is_slowed_down(client: TestClient) -> None:
    for attempt in range(8):  # the test brake allows 8 failures; spread over two accounts none is locked
        assert _post(client, ("ann", "bob")[attempt % 2], "wrong password!").status_code == 401
    braked = _post(client, "bob", PASSWORD)
    assert braked.status_code == 429 and "Too many failed sign-ins" in braked.text
    assert SESSION_COOKIE not in braked.cookies


def test_the_form_page_escapes_next(client: TestClient) -> None:
    page = client.get(SIGN_IN_PATH, params={"next": '/"><script>alert(1)</script>'})
    assert "<script>alert" not in page.text




# Streamlit's routes that hand out files or internals: the download (media) files, uploads, the metrics and the
# agent API (streamlit/web/server/starlette/starlette_routes.py, starlette_agent_routes.py).
FILE_URLS = [("GET", "/media/0123abcd.csv"), ("PUT", "/_stcore/upload_file/session/file"),
             ("DELETE", "/_stcore/upload_file/session/file"), ("GET", "/_stcore/metrics"),
             ("POST", "/_stcore/agent/interact"), ("GET", "/app/static/file.txt"), ("GET", "/component/x/index.html")]


@pytest.mark.parametrize(("method", "url"), FILE_URLS)
def test_files_and_metrics_need_a_live_session_cookie(client: TestClient, method: str, url: str) -> None:
    refused = client.request(method, url)
    assert refused.status_code == 401 and "the app" not in refused.text
    client.cookies.set(SESSION_COOKIE, "forged-or-ended-token")
    assert client.request(method, url).status_code == 401
    client.cookies.clear()
    assert _post(client, "ann", PASSWORD).status_code == 303
    assert client.request(method, url).text == "the app"
