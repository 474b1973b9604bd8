"""Who may call what: every endpoint and page names the roles it admits (401 without a valid credential, 403 for
the wrong role). Machine clients send `Authorization: Bearer <token>`; people sign in and carry a session cookie
(services/adjuster/sessions.py). A page asked for without either sends the browser to sign in instead."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request

from services.adjuster.sessions import session_principal
from services.core.auth import InvalidToken, Principal, Role, read_token

READ_CASE = (Role.ADJUSTER, Role.SUPERVISOR, Role.AUDITOR)
WORK_QUEUE = (Role.ADJUSTER, Role.SUPERVISOR)
SUPERVISE = (Role.SUPERVISOR,)
AUDIT = (Role.AUDITOR, Role.SUPERVISOR)
LABELS = (Role.DATA_SCIENTIST, Role.AUDITOR)
MODEL_INVENTORY = (Role.AUDITOR, Role.SUPERVISOR, Role.DATA_SCIENTIST)
# The pages a person opens from the navigation, and who may: a link is shown only to those it admits.
NAVIGATION = (
    ("/queue", "Queue", WORK_QUEUE),
    ("/audit", "Decision log", AUDIT),
    ("/compliance/report", "Compliance report", AUDIT),
    ("/models/inventory", "Model inventory", MODEL_INVENTORY),
)


class SignInRequired(HTTPException):
    """No credential at all: the API answers 401, a page sends the browser to sign in."""

    def __init__(self) -> None:
        super().__init__(401, "sign in, or send a bearer token", headers={"WWW-Authenticate": "Bearer"})


class Forbidden(HTTPException):
    """A valid credential without a role the endpoint admits."""

    def __init__(self, who: Principal, roles: tuple[Role, ...]) -> None:
        super().__init__(403, f"this needs one of the roles {', '.join(r.value for r in roles)}")
        self.who = who


def requires(secret: str, *roles: Role) -> Callable[[Request], Principal]:
    """A FastAPI dependency admitting a valid bearer token or a signed-in person carrying one of `roles`."""

    def principal(request: Request) -> Principal:
        token = _bearer(request)
        if token is not None:
            try:
                who = read_token(token, secret)
            except InvalidToken as exc:
                raise HTTPException(401, f"invalid token: {exc}", headers={"WWW-Authenticate": "Bearer"}) from exc
        else:
            signed_in = session_principal(request)
            if signed_in is None:
                raise SignInRequired()
            who = signed_in
        if not who.roles & set(roles):
            raise Forbidden(who, roles)
        return who

    return principal


def navigation(who: Principal | None) -> list[tuple[str, str]]:
    """The (href, label) of each page `who` may open, in the navigation's order."""
    if who is None:
        return []
    return [(href, label) for href, label, admitted in NAVIGATION if who.roles & set(admitted)]


def home(who: Principal) -> str:
    """Where a person lands after signing in: the first page their roles open."""
    pages = navigation(who)
    return pages[0][0] if pages else "/login"


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return None
