"""Password sign-in over plain HTTP, so the sign-in can set an HttpOnly cookie that Streamlit cannot.

Served by serve.py through st.App. GET shows a form; POST checks it and, on success, sets the session
cookie and redirects to the page asked for. Protections:
- CSRF (login CSRF would sign a victim into an attacker's account): a double-submit token, a SameSite=Strict
  HttpOnly cookie that must equal the form's hidden field, and a foreign Origin header is refused;
- brute force: the per-account lockout (5 failures, 15 minutes, in the database) and a per-client brake
  (dashboard.auth.throttle), the client being the peer unless it is a trusted proxy
  (dashboard.web.client_address);
- open redirects: `next` must be a local path.
A sign-in writes (its session row, the audit entry): while an import holds the database it answers
503 with the form and "busy, try again" (and Retry-After), never a server error.
Anonymous GETs of the app's pages are sent to the form by SignInGate before Streamlit serves anything, and
requests for Streamlit's files (downloads, uploads), metrics and agent API without a live session are refused
with 401; the pages still guard themselves, because Streamlit's websocket does not pass through this gate.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from html import escape
from urllib.parse import quote, urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard.auth.roles import PAGE_ROLES
from dashboard.auth.service import Principal, SignInRefused, sign_in
from dashboard.auth.throttle import FailureThrottle
from dashboard.auth.web_sessions import SESSION_COOKIE, open_web_session, principal_for_token
from dashboard.settings import TrustedProxies, get_settings
from dashboard.web.client_address import client_address
from data_access.busy import DatabaseBusy
from data_access.db import BUSY_TIMEOUT_MS, transaction

SIGN_IN_PATH = "/account/sign-in"
CSRF_COOKIE = "ib_sign_in_csrf"
_LOCAL_PATH = re.compile(r"/[A-Za-z0-9_\-/]*")
_GATED_PATHS = frozenset({"/"} | {f"/{slug}" for slug in PAGE_ROLES})  # every page, by its slug
BUSY_TEXT = (
    "The database is busy: an import or another change is being written. Please try again in a moment."
)
RETRY_AFTER_SECONDS = str(max(1, 2 * BUSY_TIMEOUT_MS // 1000))
# Streamlit's HTTP routes that serve data rather than the app's code (streamlit/web/server/starlette/
# starlette_routes.py and starlette_agent_routes.py): a download's media file is an unguessable URL,
# but one that outlives the page and travels in logs and histories, so it is served only to a
# signed-in browser.
_SIGNED_IN_ONLY = (
    "/media/",
    "/_stcore/upload_file/",
    "/_stcore/metrics",
    "/_stcore/agent/",
    "/app/static/",
    "/component/",
    "/_stcore/bidi-components/",
)
_mounted = False


def sign_in_routes_mounted() -> bool:
    """True in a process serving serve.py: the in-app sign-in then links here instead of showing a form."""
    return _mounted


class WebSignIn:
    """The sign-in routes and the gate, bound to one engine and one brute-force brake."""

    def __init__(
        self,
        engine: Callable[[], Engine],
        throttle: FailureThrottle | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        trusted_proxies: TrustedProxies | None = None,
    ) -> None:
        global _mounted
        _mounted = True
        self._engine, self._throttle, self._clock = engine, throttle or FailureThrottle(), clock
        self._trusted_proxies = get_settings().trusted_proxies if trusted_proxies is None else trusted_proxies

    def routes(self) -> list[Route]:
        return [
            Route(SIGN_IN_PATH, self._show_form, methods=["GET"]),
            Route(SIGN_IN_PATH, self._submit, methods=["POST"]),
        ]

    def middleware(self) -> Middleware:
        return Middleware(SignInGate, is_signed_in=self.is_signed_in)

    async def is_signed_in(self, request: Request) -> bool:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return False
        return await run_in_threadpool(self._principal_for, token) is not None

    async def _show_form(self, request: Request) -> Response:
        next_path = local_path(request.query_params.get("next"))
        try:
            if await self.is_signed_in(request):
                return RedirectResponse(next_path, status_code=303)
        except DatabaseBusy:
            return self._busy_form(request, next_path)
        return self._form(request, next_path, error=None, status=200)

    async def _submit(self, request: Request) -> Response:
        form = await request.form()
        next_path = local_path(str(form.get("next") or "/"))
        if not _same_origin(request):
            return HTMLResponse("Sign-in refused: the form was posted from another site.", status_code=403)
        cookie_token, form_token = request.cookies.get(CSRF_COOKIE, ""), str(form.get("csrf") or "")
        if not cookie_token or not hmac.compare_digest(cookie_token.encode(), form_token.encode()):
            return self._form(
                request,
                next_path,
                status=403,
                error="This sign-in form has expired or was not sent from this site. Please try again.",
            )
        client = client_address(
            request.client.host if request.client else None,
            request.headers.getlist("x-forwarded-for"),
            self._trusted_proxies,
        )
        now = self._clock()
        if (wait := self._throttle.retry_after(client, now)) is not None:
            minutes = max(1, round(wait.total_seconds() / 60))
            return self._form(
                request,
                next_path,
                status=429,
                error=f"Too many failed sign-ins from your address; try again in {minutes} minutes.",
            )
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        try:
            outcome = await run_in_threadpool(self._sign_in, username, password, now)
        except (
            DatabaseBusy
        ):  # nothing was written: not a failure of the password, so not counted by the brake
            return self._busy_form(request, next_path)
        if isinstance(outcome, SignInRefused):
            self._throttle.record_failure(client, now)
            return self._form(request, next_path, error=outcome.message, status=401)
        response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(
            SESSION_COOKIE, outcome, httponly=True, samesite="lax", path="/", secure=_secure(request)
        )
        response.delete_cookie(CSRF_COOKIE, path=SIGN_IN_PATH)
        return response

    def _sign_in(self, username: str, password: str, now: datetime) -> str | SignInRefused:
        """Check the password and open the web session in one transaction; returns the cookie token."""
        with transaction(self._engine()) as session:
            outcome = sign_in(session=session, username=username, password=password, now=now)
            if isinstance(outcome, SignInRefused):
                return outcome
            return open_web_session(session=session, username=outcome.username, now=now)

    def _principal_for(self, token: str) -> Principal | None:
        with transaction(self._engine()) as session:
            return principal_for_token(session=session, token=token, now=self._clock())

    def _busy_form(self, request: Request, next_path: str) -> Response:
        response = self._form(request, next_path, error=BUSY_TEXT, status=503)
        response.headers["Retry-After"] = RETRY_AFTER_SECONDS
        return response

    def _form(self, request: Request, next_path: str, *, error: str | None, status: int) -> Response:
        """The form with a fresh CSRF token, also set as a Strict cookie scoped to this path."""
        csrf = secrets.token_urlsafe(32)
        response = HTMLResponse(
            _FORM_PAGE.format(
                action=SIGN_IN_PATH,
                csrf=csrf,
                next=escape(next_path, quote=True),
                error=f'<p class="error" role="alert">{escape(error)}</p>' if error else "",
            ),
            status_code=status,
        )
        response.set_cookie(
            CSRF_COOKIE, csrf, httponly=True, samesite="strict", path=SIGN_IN_PATH, secure=_secure(request)
        )
        return response


class SignInGate(BaseHTTPMiddleware):
    """Sends an anonymous GET of one of the app's pages to the sign-in form, keeping the page as `next`, and
    refuses Streamlit's files, metrics and agent API to any request without a live session cookie."""

    def __init__(
        self, app: Callable[..., Awaitable[None]], is_signed_in: Callable[[Request], Awaitable[bool]]
    ) -> None:
        super().__init__(app)
        self._is_signed_in = is_signed_in

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        page = request.method == "GET" and request.url.path in _GATED_PATHS
        if not page and not request.url.path.startswith(_SIGNED_IN_ONLY):
            return await call_next(request)
        try:
            signed_in = await self._is_signed_in(request)
        except DatabaseBusy:
            return HTMLResponse(
                _BUSY_PAGE.format(text=escape(BUSY_TEXT)),
                status_code=503,
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        if signed_in:
            return await call_next(request)
        if page:
            return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(request.url.path)}", status_code=303)
        return PlainTextResponse("Sign in to download this file.", status_code=401)


def local_path(candidate: str | None) -> str:
    """`candidate` when it is a path on this site, otherwise "/": `next` must not redirect elsewhere."""
    if candidate and _LOCAL_PATH.fullmatch(candidate) and not candidate.startswith("//"):
        return candidate
    return "/"


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on every POST; when present it must be this server's own origin."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", "") and parts.scheme in {"http", "https"}


def _secure(request: Request) -> bool:
    """Mark cookies Secure on HTTPS, and always in production (which must be served over HTTPS)."""
    return (
        request.url.scheme == "https"
        or request.headers.get("x-forwarded-proto") == "https"
        or get_settings().is_production
    )


_BUSY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Busy · Interface Billing Compliance</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 12vh auto; padding: 0 1.5rem">
<h1>Busy</h1><p role="alert">{text}</p><p><a href="">Try again</a></p></body></html>
"""

_FORM_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" \
content="width=device-width, initial-scale=1">
<title>Sign in · Interface Billing Compliance</title>
<style>
 body {{ font-family: "Source Sans Pro", system-ui, sans-serif; background: #fff; color: #31333f; \
margin: 0; }}
 main {{ max-width: 26rem; margin: 12vh auto; padding: 0 1.5rem; }}
 h1 {{ font-size: 1.8rem; margin-bottom: .25rem; }}
 p.caption {{ color: #6b6f7b; margin-top: 0; }}
 label {{ display: block; margin: 1rem 0 .3rem; font-size: .9rem; }}
 input[type=text], input[type=password] {{ width: 100%; box-sizing: border-box; padding: .55rem .7rem;
   border: 1px solid #d5d7dc; border-radius: .5rem; font-size: 1rem; background: #f0f2f6; }}
 button {{ margin-top: 1.4rem; padding: .55rem 1.2rem; border: 0; border-radius: .5rem; background: #ff4b4b;
   color: #fff; font-size: 1rem; cursor: pointer; }}
 p.error {{ background: #ffecec; color: #7d353b; padding: .7rem .9rem; border-radius: .5rem; }}
</style></head>
<body><main>
<h1>Interface Billing · Compliance</h1>
<p class="caption">Sign in with your staff account.</p>
{error}
<form method="post" action="{action}">
 <input type="hidden" name="csrf" value="{csrf}">
 <input type="hidden" name="next" value="{next}">
 <label for="username">Username</label>
 <input id="username" name="username" type="text" autocomplete="username" required autofocus>
 <label for="password">Password</label>
 <input id="password" name="password" type="password" autocomplete="current-password" required>
 <button type="submit">Sign in</button>
</form>
</main></body></html>
"""
