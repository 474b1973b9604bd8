"""Browser sessions of the workbench: a signed session cookie and a CSRF check on every form.

The session is Starlette's signed cookie (itsdangerous): HttpOnly, SameSite=Lax, and Secure on a request that
came over https (uvicorn sets the scheme from the connection, or from X-Forwarded-Proto of a trusted proxy).
It holds who signed in and how, never a password. Forms carry asgi-csrf's token (double-submit, signed);
requests with `Authorization: Bearer` or without any cookie need none, as a browser never adds either by itself.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from asgi_csrf import asgi_csrf
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from services.adjuster.users import UserStore
from services.core.auth import Principal, Role
from services.core.settings import OidcSettings

SESSION_COOKIE = "triage_session"
CSRF_COOKIE = "triage_csrf"
CSRF_FIELD = "csrftoken"  # the form field asgi-csrf reads
SESSION_SECONDS = 8 * 3600  # a working day; signing in again starts a new one
LOCAL, OIDC = "local", "oidc"


@dataclass(frozen=True)
class SignIn:
    """How people sign in to the workbench: local users (passwords), the insurer's identity provider, or both."""

    users: UserStore | None = None
    oidc: OidcSettings | None = None

    @property
    def local(self) -> bool:
        return self.users is not None and (self.oidc is None or self.oidc.local_users)

    def principal(self, session: dict[str, Any]) -> Principal | None:
        """Who a session belongs to now: a local user is looked up again (disabled: no one); an identity provider's
        user keeps the roles their ID token carried until the session ends."""
        name, via = session.get("user"), session.get("via")
        if not isinstance(name, str):
            return None
        if via == LOCAL and self.users is not None:
            return self.users.signed_in(name)
        if via == OIDC and self.oidc is not None:
            known = {r.value for r in Role}
            return Principal(name, frozenset(Role(r) for r in session.get("roles", []) if r in known))
        return None


def start_session(request: Request, who: Principal, via: str, **extra: str) -> None:
    """A fresh session for `who`: whatever the cookie held before (a half-done sign-in) is dropped."""
    request.session.clear()
    request.session.update({"user": who.subject, "via": via, "roles": sorted(r.value for r in who.roles), **extra})


def session_principal(request: Request) -> Principal | None:
    """The signed-in person of a browser request, or None."""
    sign_in: SignIn | None = getattr(request.app.state, "sign_in", None)
    if "session" not in request.scope or sign_in is None:
        return None
    return sign_in.principal(request.session)


def derived_key(secret: str, purpose: str) -> str:
    """A key of its own for each use of the app's secret (sessions, CSRF tokens), so none can stand for another."""
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()


class BrowserSessions:
    """ASGI middleware: the session cookie and the CSRF check, with Secure on the cookies of https requests."""

    def __init__(self, app: ASGIApp, *, secret: str) -> None:
        self._plain = _stack(app, secret, secure=False)
        self._secure = _stack(app, secret, secure=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        stack = self._secure if scope.get("scheme") in ("https", "wss") else self._plain
        await stack(scope, receive, send)


def _stack(app: ASGIApp, secret: str, *, secure: bool) -> ASGIApp:
    checked: ASGIApp = asgi_csrf(
        app,
        cookie_name=CSRF_COOKIE,
        signing_secret=derived_key(secret, "adjuster-csrf"),
        cookie_secure=secure,
        cookie_samesite="Lax",
        send_csrf_failed=_refused,
    )
    return SessionMiddleware(
        checked,
        secret_key=derived_key(secret, "adjuster-session"),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=secure,
    )


REFUSAL = (
    b"<!doctype html><title>Form refused</title><h1>Form refused</h1><p>This form was not sent from a page of this "
    b'workbench, or it is out of date. <a href="/">Open the workbench again</a> and resend it.</p>'
)


async def _refused(scope: Scope, send: Send, _reason: object) -> None:
    await send(
        {"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/html; charset=utf-8")]}
    )
    await send({"type": "http.response.body", "body": REFUSAL})
