"""The intake API as tests build it: over a memory bus and a SQLite claim store, admitting intake systems by a
bearer token signed with SECRET."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from services.app.stages import order
from services.core.auth import Role, mint_token
from services.core.bus.port import Publisher
from services.core.documents import DocumentStore
from services.core.store import ClaimStore
from services.intake.api import ThreadedAdmission, create_app
from services.intake.security import bearer_token

SECRET = "intake-test-secret-not-for-production-0123456789"


def intake_token(*roles: Role) -> dict[str, str]:
    """The Authorization header of an intake system's token (or of one with `roles`)."""
    return {"Authorization": f"Bearer {mint_token('acme-fnol', roles or [Role.INTAKE_SYSTEM], SECRET)}"}


def intake_app(tmp_path: Path, publisher: Publisher, documents: DocumentStore, **options: Any) -> FastAPI:
    """The app over a claim store in `tmp_path`; `options` add to or replace create_app's (bearer tokens, 1000-byte
    documents)."""
    defaults: dict[str, Any] = {"max_document_bytes": 1000, "authenticate": bearer_token(SECRET)}
    return create_app(
        admission=ThreadedAdmission(ClaimStore(f"sqlite:///{tmp_path / 'claims.db'}", order()), publisher),
        documents=documents,
        **(defaults | options),
    )


@contextmanager
def serving(app: FastAPI, **tls: Any) -> Iterator[str]:
    """`app` behind a real uvicorn server on a free port of 127.0.0.1 (with uvicorn's TLS keywords `tls`), its base
    URL yielded; stopped on leaving."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False, **tls)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"{'https' if tls else 'http'}://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
