"""Sign-in through the insurer's identity provider: OpenID Connect, authorization code with PKCE (S256).

Authlib's Starlette client does the protocol: discovery, state, nonce and the PKCE verifier (kept in the session
between the redirect and the callback), the code exchange, and the ID token's signature, issuer, audience, expiry
and nonce. This module only maps the claims to a person of the workbench and its roles.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import authlib.deprecate
import httpx
from fastapi import Request
from fastapi.responses import Response

from services.core.auth import Principal, Role
from services.core.settings import OidcSettings

with warnings.catch_warnings():
    # Authlib would rather speak httpx2 and says so on every start (its own filter is "always", set on importing
    # authlib.deprecate above); it speaks httpx, the project's one HTTP client, all the same.
    warnings.filterwarnings("ignore", "The httpx module is deprecated", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.integrations.starlette_client import OAuth, OAuthError

TIMEOUT_S = 10.0


class SignInRefused(Exception):
    """The provider's answer does not sign anyone in; the message says why, for the person at the sign-in page."""


class ProviderUnreachable(Exception):
    """The provider did not answer (discovery, keys, the code exchange); the message names it."""


@dataclass(frozen=True)
class SignedIn:
    who: Principal
    id_token: str | None  # sent back on sign-out, so the provider ends its session without asking


class IdentityProvider:
    """The configured provider, discovered from its issuer on first use."""

    def __init__(self, settings: OidcSettings) -> None:
        if settings.issuer is None:
            raise ValueError("TRIAGE_OIDC_ISSUER is not set: there is no identity provider to sign in with")
        self.settings = settings
        secret = settings.client_secret.get_secret_value() if settings.client_secret else None
        self._client: Any = OAuth().register(
            "idp",
            server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
            client_id=settings.client_id,
            client_secret=secret,
            client_kwargs={
                "scope": settings.scope,
                "code_challenge_method": "S256",
                "timeout": TIMEOUT_S,
                # A public client has no secret: it authenticates the code exchange with PKCE alone.
                **({} if secret else {"token_endpoint_auth_method": "none"}),
            },
        )

    @property
    def name(self) -> str:
        return self.settings.provider_name

    async def redirect(self, request: Request, callback: str) -> Response:
        """Send the browser to the provider's sign-in page."""
        try:
            answer: Response = await self._client.authorize_redirect(request, callback)
        except httpx.HTTPError as away:
            raise self._unreachable(away) from away
        return answer

    async def finish(self, request: Request) -> SignedIn:
        """The person the provider sent back, from the code in the callback; SignInRefused if none is."""
        try:
            token = await self._client.authorize_access_token(request)
            claims = dict(token.get("userinfo") or {})
            if _at(claims, self.settings.role_claim) is None:  # some providers put roles in userinfo only
                claims |= dict(await self._client.userinfo(token=token))
        except OAuthError as refused:
            raise SignInRefused(f"{self.name} did not sign you in: {refused.description or refused.error}") from refused
        except httpx.HTTPError as away:
            raise self._unreachable(away) from away
        return SignedIn(principal(claims, self.settings), token.get("id_token"))

    async def end_session(self, request: Request, id_token: str | None, after: str) -> Response | None:
        """A redirect to the provider's end_session_endpoint, or None when it has none."""
        try:
            metadata = await self._client.load_server_metadata()
        except httpx.HTTPError:
            return None  # signed out here all the same; the provider's session ends by its own timeout
        if not metadata.get("end_session_endpoint"):
            return None
        answer: Response = await self._client.logout_redirect(
            request, post_logout_redirect_uri=after, id_token_hint=id_token
        )
        return answer

    def _unreachable(self, away: Exception) -> ProviderUnreachable:
        return ProviderUnreachable(f"{self.name} at {self.settings.issuer} did not answer ({type(away).__name__})")


def principal(claims: dict[str, Any], settings: OidcSettings) -> Principal:
    """The workbench person of verified claims: named by `username_claim` (else `sub`), with the roles found at
    `role_claim` that the workbench knows; SignInRefused without any."""
    name = claims.get(settings.username_claim) or claims.get("sub")
    if not isinstance(name, str) or not name:
        raise SignInRefused(f"the identity provider sent no {settings.username_claim} or sub claim")
    found = _at(claims, settings.role_claim)
    values = found.split() if isinstance(found, str) else found if isinstance(found, list) else []
    people = {r.value for r in Role} - {Role.INTAKE_SYSTEM.value}
    roles = frozenset(Role(v) for v in values if v in people)
    if not roles:
        raise SignInRefused(
            f"{name} has no role in claims triage ({', '.join(sorted(people))}) at {settings.role_claim}: "
            "ask your administrator to grant one"
        )
    return Principal(name, roles)


def _at(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (`realm_access.roles`), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
