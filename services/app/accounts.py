"""How people sign in to this deployment's workbench: local users in the product's database, and the identity
provider configured by TRIAGE_OIDC_; and the demo user `triage serve` and `triage demo` make on a fresh database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine

from services.adjuster.sessions import SignIn
from services.adjuster.users import UserStore
from services.core.auth import Role
from services.core.settings import OidcSettings

DEMO_USER = "demo"
DEMO_ROLES = (Role.ADJUSTER, Role.SUPERVISOR)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str | None  # None: made by an earlier start, whose welcome printed it


def workbench_sign_in(engine: Engine) -> SignIn:
    """Local users (unless TRIAGE_OIDC_LOCAL_USERS=false) and the provider when TRIAGE_OIDC_ISSUER is set."""
    oidc = OidcSettings()
    return SignIn(users=UserStore(engine), oidc=oidc if oidc.issuer else None)


def ensure_demo_user(users: UserStore) -> DemoUser:
    """The demo adjuster and supervisor, made with a generated password if there is none yet."""
    if users.get(DEMO_USER) is not None:
        return DemoUser(DEMO_USER, None)
    password = secrets.token_urlsafe(12)
    users.add(DEMO_USER, password, DEMO_ROLES)
    return DemoUser(DEMO_USER, password)
