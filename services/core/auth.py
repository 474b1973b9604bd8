"""OAuth2 bearer tokens and the roles they carry (signed JWTs, HS256 with a shared secret).

The tokens are what an identity provider issues: `sub` (who), `roles` (what they may do), `exp`.
`triage token` mints them for development and tests; in production the secret is shared with the
identity provider and never committed.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
from cachetools import TLRUCache

ALGORITHM = "HS256"
AUDIENCE = "claims-triage"


class Role(StrEnum):
    INTAKE_SYSTEM = "intake_system"
    ADJUSTER = "adjuster"
    SUPERVISOR = "supervisor"
    DATA_SCIENTIST = "data_scientist"
    AUDITOR = "auditor"


class InvalidToken(Exception):
    """A token that is missing, malformed, expired, or signed with another key."""


@dataclass(frozen=True)
class Principal:
    """Who made a request, from their verified token."""

    subject: str
    roles: frozenset[Role]


def mint_token(
    subject: str,
    roles: Iterable[Role],
    secret: str,
    *,
    lifetime: timedelta = timedelta(hours=8),
    now: datetime | None = None,
) -> str:
    """A signed bearer token for `subject` with `roles`."""
    issued = now or datetime.now(UTC)
    claims = {
        "sub": subject,
        "roles": sorted(r.value for r in roles),
        "aud": AUDIENCE,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> Principal:
    """The principal of a valid token; InvalidToken otherwise (unknown roles are ignored)."""
    key = hashlib.sha256(f"{secret}\0{token}".encode()).digest()  # the secret is not kept in the cache as text
    with _verified_lock:
        known = _verified.get(key)  # dropped by the cache once the token expires
    if known is not None:
        return known.principal
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    roles = {r.value for r in Role}
    who = Principal(str(claims["sub"]), frozenset(Role(r) for r in claims.get("roles", []) if r in roles))
    with _verified_lock:
        _verified[key] = _Verified(who, float(claims["exp"]))
    return who


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    expires: float


# An intake system sends every FNOL with the same token: its signature is checked once, not per request (PyJWT's
# decode costs more than the rest of an FNOL's admission).
_verified: TLRUCache[bytes, _Verified] = TLRUCache(maxsize=4096, ttu=lambda _k, v, _now: v.expires, timer=time.time)
_verified_lock = threading.Lock()
