"""Who may call what: every endpoint and page names the roles it admits (401 without a valid token, 403
for the wrong role). Tokens come as `Authorization: Bearer …`, or, for the pages, a cookie set at /login."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request

from services.core.auth import InvalidToken, Principal, Role, read_token

COOKIE = "triage_token"
READ_CASE = (Role.ADJUSTER, Role.SUPERVISOR, Role.AUDITOR)
WORK_QUEUE = (Role.ADJUSTER, Role.SUPERVISOR)
SUPERVISE = (Role.SUPERVISOR,)
AUDIT = (Role.AUDITOR, Role.SUPERVISOR)
LABELS = (Role.DATA_SCIENTIST, Role.AUDITOR)
MODEL_INVENTORY = (Role.AUDITOR, Role.SUPERVISOR, Role.DATA_SCIENTIST)


def requires(secret: str, *roles: Role) -> Callable[[Request], Principal]:
    """A FastAPI dependency admitting a valid token that carries one of `roles`."""

    def principal(request: Request) -> Principal:
        token = _token(request)
        if token is None:
            raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        try:
            who = read_token(token, secret)
        except InvalidToken as exc:
            raise HTTPException(401, f"invalid token: {exc}", headers={"WWW-Authenticate": "Bearer"}) from exc
        if not who.roles & set(roles):
            raise HTTPException(403, f"this needs one of the roles {', '.join(r.value for r in roles)}")
        return who

    return principal


def _token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return request.cookies.get(COOKIE)
