"""Who may call the intake API: an intake system, by a bearer token with the intake_system role or by a client
certificate that the server's TLS handshake verified (mutual TLS). The composition root picks one (`authentication`)
and serves with the matching TLS options (`server_tls`), both from the same settings."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.core.auth import InvalidToken, Principal, Role, read_token
from services.core.settings import IntakeApiSettings

# A FastAPI dependency: the intake system a request comes from, or an HTTPException (401, 403).
Authenticate = Callable[..., Awaitable[Principal]]

_CHALLENGE = {"WWW-Authenticate": "Bearer"}
ASK_FOR_A_TOKEN = "send `Authorization: Bearer <token>` with a token carrying the intake_system role"
bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A token with the intake_system role, signed with TRIAGE_INTAKE_TOKEN_SECRET "
    "(`triage token SYSTEM --role intake_system`).",
)


def bearer_token(secret: str) -> Authenticate:
    """Admits a valid token signed with `secret` that carries the intake_system role."""

    # async, though it never awaits: FastAPI runs a plain def dependency in a worker thread, a hop per request
    async def intake_system(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    ) -> Principal:
        if credentials is None:
            raise HTTPException(401, f"a bearer token is required: {ASK_FOR_A_TOKEN}", headers=_CHALLENGE)
        try:
            who = read_token(credentials.credentials, secret)
        except InvalidToken as exc:
            raise HTTPException(401, f"invalid token ({exc}): {ASK_FOR_A_TOKEN}", headers=_CHALLENGE) from exc
        if Role.INTAKE_SYSTEM not in who.roles:
            raise HTTPException(
                403, f"the token of {who.subject} lacks the intake_system role: ask for a token with that role"
            )
        return who

    return intake_system


CERTIFICATE_HOLDER = Principal("client-certificate", frozenset({Role.INTAKE_SYSTEM}))


def client_certificate() -> Authenticate:
    """Admits what reached the app over TLS: a server started with `server_tls` in mutual-TLS mode completes no
    handshake without a client certificate its CA bundle verifies."""

    async def intake_system(request: Request) -> Principal:
        # uvicorn passes no peer certificate to the app; an https scheme at least shows the request came over TLS.
        if request.url.scheme != "https":
            raise HTTPException(401, "this intake API admits intake systems by client certificate: connect over TLS")
        return CERTIFICATE_HOLDER

    return intake_system


def authentication(settings: IntakeApiSettings) -> Authenticate:
    """The client certificate when a client CA bundle is set, else bearer tokens."""
    if settings.mutual_tls:
        return client_certificate()
    assert settings.token_secret is not None  # the settings refuse to load with neither
    return bearer_token(settings.token_secret.get_secret_value())


def server_tls(settings: IntakeApiSettings) -> dict[str, Any]:
    """uvicorn's TLS keywords: HTTPS with the API's certificate; with a client CA bundle, a verified client
    certificate required in every handshake. Empty for plain HTTP."""
    if settings.tls_certfile is None:
        return {}
    options: dict[str, Any] = {"ssl_certfile": str(settings.tls_certfile), "ssl_keyfile": str(settings.tls_keyfile)}
    if settings.tls_client_cafile is not None:
        options |= {"ssl_ca_certs": str(settings.tls_client_cafile), "ssl_cert_reqs": ssl.CERT_REQUIRED}
    return options
