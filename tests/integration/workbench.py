"""The adjuster workbench on a real loopback port, with six queued claims, for sign-in tests against a real
identity provider (the provider redirects the browser to the workbench's own address)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from claimgen.fnol import GeneratedClaim
from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.adjuster.sessions import SignIn
from services.adjuster.users import UserStore
from services.app.stages import order
from services.core.audit import AuditLog
from services.core.bus.memory import MemoryBus
from services.core.settings import OidcSettings
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import SECRET, Clock, fill
from tests.unit.services.core.audit_cases import START
from tests.unit.services.intake.apps import serving

REALM = "claims"
CLIENT_SECRET = "claims-triage-test-client-secret-0123456789"  # tests/integration/keycloak/realm.json's


def keycloak_settings(keycloak_url: str, **overrides: object) -> OidcSettings:
    """The workbench's settings for the test realm that scripts/keycloak.sh imports."""
    values: dict[str, object] = {
        "issuer": f"{keycloak_url}/realms/{REALM}",
        "client_id": "claims-triage",
        "client_secret": CLIENT_SECRET,
        "provider_name": "Keycloak",
        **overrides,
    }
    return OidcSettings.model_validate(values)


@contextmanager
def running_workbench(
    tmp_path: Path, claims: list[GeneratedClaim], oidc: OidcSettings | None
) -> Iterator[tuple[str, UserStore, list[str]]]:
    """The workbench at http://127.0.0.1:PORT, its local users and the queued claim ids, until the block ends."""
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    queue, users = QueueStore(store.engine), UserStore(store.engine)
    claim_ids = fill(store, queue, claims)
    app = create_app(
        queue=queue,
        cases=store,
        audit=AuditLog(store.engine),
        feedback=Outbox(store.engine, MemoryBus().publisher()),
        token_secret=SECRET,
        clock=Clock(START + timedelta(hours=1)),
        sign_in=SignIn(users=users, oidc=oidc),
    )
    with serving(app) as base:
        yield base, users, claim_ids
