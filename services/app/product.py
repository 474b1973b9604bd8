"""The whole product in one process on the embedded default (`triage serve`, `triage demo`).

The intake API, every stage (on the in-process bus), and the adjuster API and pages, over SQLite (or the
configured database) and the local MLflow store. FNOLs are journalled before the bus has them and taken up again
on start (services.app.journal), so a crash loses nothing the API answered 202 for. One process owns a database:
a second one on the same database is refused, as both would take up the same claims.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import uvicorn
from fastapi import FastAPI

from services.adjuster.outbox import Outbox
from services.app.embedded import EmbeddedPipeline
from services.app.journal import JournalledAdmission, TakenUp, take_up
from services.app.stages import STAGES
from services.core.auth import Role, mint_token
from services.core.runner import utcnow
from services.core.settings import AdjusterSettings, IntakeApiSettings, IntakeSettings, TriageSettings
from services.intake.security import Authenticate

SECRET_BYTES = 32


class DatabaseInUse(Exception):
    """Another `triage serve` owns this database."""


@dataclass(frozen=True)
class Ports:
    host: str = "127.0.0.1"
    intake: int = 8000
    adjuster: int = 8001


DEFAULT_PORTS = Ports()


class Product:
    """`with Product(settings) as product:` runs everything until the block ends; `product.urls` says where."""

    def __init__(
        self, settings: TriageSettings, ports: Ports = DEFAULT_PORTS, *, adjuster_hold_minutes: int = 30
    ) -> None:
        self.settings = settings
        self._lock = own_database(settings)
        self.pipeline = EmbeddedPipeline(settings)
        deps = self.pipeline.deps
        self.secret = token_secret(settings)
        self.intake_access = intake_access(self.secret)
        self.taken_up: TakenUp = take_up(deps.store.engine, STAGES, self.pipeline.bus.publisher())
        self._admission = JournalledAdmission(deps.store, self.pipeline.bus.publisher())
        self._servers = [
            _server(self._intake_app(self._admission), ports.host, ports.intake, **self.intake_access.tls),
            _server(self._adjuster_app(adjuster_hold_minutes), ports.host, ports.adjuster),
        ]
        self._threads = [threading.Thread(target=s.run, name="http", daemon=True) for s in self._servers]

    def _intake_app(self, admission: JournalledAdmission) -> FastAPI:
        from services.intake.api import create_app

        deps = self.pipeline.deps
        return create_app(
            admission=admission,
            documents=deps.documents,
            max_document_bytes=IntakeSettings().max_document_bytes,
            authenticate=self.intake_access.authenticate,
        )

    def _adjuster_app(self, hold_minutes: int) -> FastAPI:
        from services.adjuster.api import create_app
        from services.app.accounts import workbench_sign_in
        from services.app.compliance_cli import build_reports

        deps = self.pipeline.deps
        return create_app(
            queue=deps.queue,
            cases=deps.store,
            audit=deps.audit,
            feedback=Outbox(deps.store.engine, self.pipeline.bus.publisher()),
            token_secret=self.secret,
            clock=utcnow,
            hold=timedelta(minutes=hold_minutes),
            compliance=build_reports(self.settings),
            sign_in=workbench_sign_in(deps.store.engine),
            documents=deps.documents,
        )

    def __enter__(self) -> Product:
        self.pipeline.__enter__()
        for thread in self._threads:
            thread.start()
        for server, thread in zip(self._servers, self._threads, strict=True):
            while not server.started and thread.is_alive():
                thread.join(0.05)
            if not server.started:
                self.__exit__(None, None, None)
                raise OSError(f"the HTTP server on {server.config.host}:{server.config.port} did not start")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for server in self._servers:
            server.should_exit = True
        for thread in self._threads:
            if thread.ident is not None:
                thread.join()
        self._admission.close()  # what the servers admitted is on the bus before its stages stop
        self.pipeline.__exit__(kind, error, trace)
        self._lock.close()

    @property
    def urls(self) -> dict[str, str]:
        """Where each server listens (the ports the OS gave when 0 was asked for)."""
        intake, adjuster = (_url(server) for server in self._servers)
        return {"intake": intake, "adjuster": adjuster}

    def token(self, subject: str, *roles: Role, hours: float = 12) -> str:
        """A bearer token for `roles`, signed with the key the API that checks them reads (intake or adjuster)."""
        intake = Role.INTAKE_SYSTEM in roles
        secret = self.intake_access.token_secret if intake else self.secret
        if secret is None:
            raise ValueError("the intake API admits intake systems by client certificate here, not by token")
        return mint_token(subject, list(roles), secret, lifetime=timedelta(hours=hours))


@dataclass(frozen=True)
class IntakeAccess:
    """How the intake API lets intake systems in, and the TLS its server runs with."""

    authenticate: Authenticate
    token_secret: str | None
    tls: dict[str, Any]


def intake_access(default_secret: str) -> IntakeAccess:
    """The configured intake settings (TRIAGE_INTAKE_TOKEN_SECRET, or mutual TLS) when there are any, else
    bearer tokens signed with this product's own key."""
    from services.intake.security import authentication, bearer_token, server_tls

    if not any(os.environ.get(f"TRIAGE_INTAKE_{name}") for name in ("TOKEN_SECRET", "TLS_CLIENT_CAFILE")):
        return IntakeAccess(bearer_token(default_secret), default_secret, {})
    configured = IntakeApiSettings()
    secret = None if configured.mutual_tls or configured.token_secret is None else configured.token_secret
    return IntakeAccess(
        authentication(configured), secret.get_secret_value() if secret else None, server_tls(configured)
    )


def _server(app: FastAPI, host: str, port: int, **tls: Any) -> uvicorn.Server:
    # Off the main thread uvicorn installs no signal handlers: the command decides when to stop.
    return uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False, **tls))


def _url(server: uvicorn.Server) -> str:
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    return f"{'https' if server.config.is_ssl else 'http'}://{host}:{port}"


def own_database(settings: TriageSettings) -> IO[str]:
    """An exclusive lock on this database for as long as the returned file is open; DatabaseInUse if taken."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url()
    # Beside a SQLite file; for a server database, in the data folder (so: one serve per database on this host).
    beside = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else str(settings.data_dir / "database")
    lock = Path(beside + ".serve.lock").open("a+")  # noqa: SIM115 - held open for the product's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as taken:
        lock.seek(0)
        holder = lock.read().strip() or "another process"
        lock.close()
        raise DatabaseInUse(
            f"{url} is in use by `triage serve` ({holder}): stop it, or give this one its own database "
            "(TRIAGE_DATA_DIR or TRIAGE_DATABASE_URL)"
        ) from taken
    lock.seek(0)
    lock.truncate()
    lock.write(f"pid {os.getpid()}")
    lock.flush()
    return lock


def token_secret(settings: TriageSettings) -> str:
    """The key tokens are signed with: TRIAGE_ADJUSTER_TOKEN_SECRET, else one made for this data folder once."""
    if os.environ.get("TRIAGE_ADJUSTER_TOKEN_SECRET"):
        return AdjusterSettings().token_secret.get_secret_value()  # refuses a short one, naming the variable
    path = settings.data_dir / "serve-token-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(SECRET_BYTES))
    return path.read_text().strip()
