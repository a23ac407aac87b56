"""CSRF protection and HTTP security headers.

CSRF: a random, HttpOnly ``netral_csrf`` cookie seeds every client; the token a form or htmx request must
send back (field ``csrf_token`` or header ``X-CSRF-Token``) is ``HMAC(secret_key, seed | session)``. A
foreign site can neither read the cookie nor compute the HMAC, and logging in changes the token. Every
request whose method is not GET/HEAD/OPTIONS is checked by :func:`csrf_protect`, installed as an
application-wide dependency so no route can forget it.

Headers: a strict Content-Security-Policy (scripts and styles only from our own static files, so inline
script is forbidden), no framing, no MIME sniffing, no referrer, and no caching of pages with personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from fastapi import Request
from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings

CSRF_COOKIE = "netral_csrf"
SESSION_COOKIE = "netral_session"
LANG_COOKIE = "netral_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}


class CsrfRejected(Exception):
    """A state-changing request without a valid CSRF token."""


def csrf_seed(request: Request) -> str:
    """The client's CSRF seed: its cookie, or a fresh one the middleware will set."""
    seed = getattr(request.state, "csrf_seed", None)
    if seed is None:
        seed = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf_seed = seed
    return str(seed)


def csrf_token(request: Request, settings: Settings, session_token: str | None = None) -> str:
    """The token forms must echo for this client and login session."""
    if session_token is None:
        session_token = getattr(request.state, "session_token", None) or request.cookies.get(SESSION_COOKIE, "")
    key = settings.secret_key.get_secret_value().encode("utf-8")
    msg = f"{csrf_seed(request)}|{session_token}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


async def csrf_protect(request: Request) -> None:
    """Refuse any state-changing request that does not carry the right token (application dependency)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        form: FormData = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not request.cookies.get(CSRF_COOKIE) or not sent:
        raise CsrfRejected()
    expected = csrf_token(request, request.app.state.settings)
    if not hmac.compare_digest(sent, expected):
        raise CsrfRejected()


def secure_cookies(request: Request, settings: Settings) -> bool:
    """Cookies are ``Secure`` under https (or always, when configured)."""
    return settings.cookie_secure or request.url.scheme == "https"


class SecurityMiddleware:
    """Add the security headers and make sure every client has a CSRF seed cookie (pure ASGI, cheap)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        had_seed = bool(HTTPConnection(scope).cookies.get(CSRF_COOKIE))
        static = str(scope.get("path", "")).startswith("/static/")
        secure = self.settings.cookie_secure or scope.get("scheme") == "https"
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # Time inside the app (not the network): lets a load test tell app cost from queueing.
                headers.append("server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}")
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("cache-control", "no-store")
                seed = state.get("csrf_seed")
                if seed and not had_seed:
                    headers.append("set-cookie", f"{CSRF_COOKIE}={seed}; HttpOnly; Path=/; SameSite=strict"
                                   + ("; Secure" if secure else ""))
            await send(message)

        await self.app(scope, receive, send_with_headers)
