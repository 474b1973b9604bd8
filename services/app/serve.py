"""`triage serve`: the intake API, every stage and the adjuster pages in one process (services.app.product)."""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from services.core.auth import Role
from services.core.settings import TriageSettings

if TYPE_CHECKING:
    from services.app.product import Product


def serve_command(
    host: Annotated[str, typer.Option(help="Address both servers listen on.")] = "127.0.0.1",
    intake_port: Annotated[int, typer.Option(help="The intake API's port (0: any free one).", min=0)] = 8000,
    adjuster_port: Annotated[int, typer.Option(help="The adjuster pages' and API's port.", min=0)] = 8001,
) -> None:
    """Run the whole product in one process: the intake API, every stage and the adjuster pages.

    The embedded default: in-process bus, SQLite and the local MLflow store under TRIAGE_DATA_DIR; the models
    are trained first if none is registered. Claims accepted and not yet decided when it last stopped (or
    crashed) are taken up again. Ctrl-C stops it.
    """
    from services.app.product import DatabaseInUse, Ports, Product
    from training.run import train_missing  # training pulls in mlflow and lightgbm: only when asked

    console = Console()
    settings = TriageSettings(bus="memory")
    train_missing(settings, console=console)
    try:
        product = Product(settings, Ports(host, intake_port, adjuster_port))
    except DatabaseInUse as refused:
        console.print(f"[bold red]not started[/]: {refused}")
        raise typer.Exit(1) from refused
    with product:
        serve_until_stopped(product, console)


def serve_until_stopped(product: Product, console: Console) -> None:
    """Say where everything is, then serve until SIGINT (Ctrl-C) or SIGTERM."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print_welcome(product, console)
    stop.wait()
    console.print("stopping; claims not yet decided are taken up on the next start")


def print_welcome(product: Product, console: Console) -> None:
    """Where everything is and how to sign in."""
    urls = product.urls
    if product.taken_up.claims:
        taken = ", ".join(f"{n} at {stage}" for stage, n in product.taken_up.by_stage.items())
        console.print(f"took up {product.taken_up.claims} claims not yet decided: {taken}")
    intake_token = (
        product.token("intake-system", Role.INTAKE_SYSTEM)
        if product.intake_access.token_secret
        else "none: intake systems present a client certificate (mutual TLS)"
    )
    console.print(
        f"[bold]Intake API[/]   {urls['intake']}/v1/fnol  (API docs {urls['intake']}/docs)\n"
        f"  bearer token for an intake system: {intake_token}\n"
        f"[bold]Adjuster workbench[/] {urls['adjuster']}/\n"
        f"  {sign_in_hint(product)}\n"
        "Ctrl-C stops the server.",
        soft_wrap=True,
    )


def sign_in_hint(product: Product) -> str:
    """How to sign in to the workbench: the demo user (with its password when this start made it)."""
    from services.adjuster.users import UserStore
    from services.app.accounts import ensure_demo_user

    demo = ensure_demo_user(UserStore(product.pipeline.deps.store.engine))
    if demo.password is not None:
        return f"sign in as [bold]{demo.username}[/] with the password [bold]{demo.password}[/] (adjuster, supervisor)"
    return (
        f"sign in as [bold]{demo.username}[/] with the password printed when it was made (`triage users passwd "
        f"{demo.username}` sets a new one); `triage users add` adds more"
    )
