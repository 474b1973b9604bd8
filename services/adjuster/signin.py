"""Signing in and out of the workbench, and what a browser is shown without a session or the role for a page.

`/login` takes a local user's name and password, and offers "Sign in with <provider>" when an OpenID Connect
provider is configured; `/logout` ends the session (and the provider's). `/` leads to the first page the person's
roles open, or to sign-in. A page asked for without a session redirects to `/login?next=<page>`; the JSON API
(`/v1/…`) keeps answering 401 and 403.
"""

# No `from __future__ import annotations`: FastAPI must see the route parameters' types.
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from services.adjuster.oidc import IdentityProvider, ProviderUnreachable, SignInRefused
from services.adjuster.security import Forbidden, SignInRequired, home
from services.adjuster.sessions import LOCAL, OIDC, SignIn, session_principal, start_session
from services.adjuster.templating import templates

API_PREFIXES = ("/v1/", "/metrics", "/healthz")
# Browsers drop a cookie over 4 KB: a larger ID token is not kept, and the provider may then ask before signing out.
MAX_ID_TOKEN_HINT = 2048


def add_sign_in(app: FastAPI, sign_in: SignIn) -> None:
    """The sign-in and sign-out routes, and the answers pages give without a session or the right role."""
    app.state.sign_in = sign_in
    provider = IdentityProvider(sign_in.oidc) if sign_in.oidc and sign_in.oidc.issuer else None
    page = LoginPage(sign_in, provider)

    @app.get("/", include_in_schema=False)
    def start(request: Request) -> Response:
        who = session_principal(request)
        return RedirectResponse(home(who) if who else "/login", status_code=303)

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request) -> Response:
        who = session_principal(request)
        if who is not None:
            return RedirectResponse(safe_next(request.query_params.get("next")) or home(who), status_code=303)
        return page(request)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
        after = safe_next(form.get("next"))
        if not sign_in.local or sign_in.users is None:
            return page(request, "this workbench signs people in through the identity provider only", 400, after)
        who = await run_in_threadpool(sign_in.users.authenticate, username, password)  # argon2 is CPU work
        if who is None:
            return page(request, "wrong user name or password, or the user is disabled", 401, after, username)
        start_session(request, who, LOCAL)
        return RedirectResponse(after or home(who), status_code=303)

    _add_sign_out(app, provider)
    if provider is not None:
        _add_provider_routes(app, provider, page)
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(Forbidden, _not_allowed)


@dataclass(frozen=True)
class LoginPage:
    """The sign-in page: the local form and the provider's button, as configured, with an error if any."""

    sign_in: SignIn
    provider: IdentityProvider | None

    def __call__(
        self, request: Request, error: str | None = None, status: int = 200, after: str | None = None, name: str = ""
    ) -> Response:
        context = {
            "username": name,
            "local": self.sign_in.local,
            "provider": self.provider.name if self.provider else None,
            "next": safe_next(after or request.query_params.get("next")),
            "error": error,
            "signed_out": "signed_out" in request.query_params,
        }
        return templates.TemplateResponse(request, "login.html", context, status_code=status)


def _add_sign_out(app: FastAPI, provider: IdentityProvider | None) -> None:
    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        via, id_token = request.session.get("via"), request.session.get("id_token")
        request.session.clear()
        ended = None
        if via == OIDC and provider is not None:
            after = str(request.url_for("login_form")) + "?signed_out=1"
            ended = await provider.end_session(request, id_token, after)
        return ended or RedirectResponse("/login?signed_out=1", status_code=303)


def _add_provider_routes(app: FastAPI, provider: IdentityProvider, page: LoginPage) -> None:
    callback_url = provider.settings.redirect_url

    @app.get("/login/oidc", include_in_schema=False)
    async def to_provider(request: Request) -> Response:
        request.session.clear()
        request.session["next"] = safe_next(request.query_params.get("next")) or ""
        try:
            return await provider.redirect(request, callback_url or str(request.url_for("oidc_callback")))
        except ProviderUnreachable as away:
            return page(request, f"{away}: try again", 502)

    @app.get("/login/oidc/callback", include_in_schema=False, name="oidc_callback")
    async def from_provider(request: Request) -> Response:
        after = safe_next(request.session.get("next"))
        try:
            signed_in = await provider.finish(request)
        except SignInRefused as refused:
            return page(request, str(refused), 403)
        except ProviderUnreachable as away:
            return page(request, f"{away}: try again", 502)
        hint = signed_in.id_token if signed_in.id_token and len(signed_in.id_token) <= MAX_ID_TOKEN_HINT else None
        extra = {"id_token": hint} if hint else {}
        start_session(request, signed_in.who, OIDC, **extra)
        return RedirectResponse(after or home(signed_in.who), status_code=303)


def safe_next(target: object) -> str | None:
    """`target` when it is a path of this site (never another host: `//evil`, `/\\evil`, `https://…`), else None."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    return target if all(c.isprintable() for c in target) else None


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES)


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    if _is_api(request) or not isinstance(exc, HTTPException):
        return await http_exception_handler(request, exc)  # type: ignore[arg-type]
    if request.method != "GET":  # a form sent without a session: its page, not the form's target, comes next
        return RedirectResponse("/login", status_code=303)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(here, safe='')}", status_code=303)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    if _is_api(request) or not isinstance(exc, Forbidden):
        return await http_exception_handler(request, exc)  # type: ignore[arg-type]
    context = {"who": exc.who, "detail": exc.detail}
    return templates.TemplateResponse(request, "forbidden.html", context, status_code=403)
