"""The `triage` command: every subcommand, wired in one place."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from services.app.audit_cli import audit_app
from services.app.compliance_cli import compliance_app
from services.app.compliance_cli import inventory as inventory_command
from services.app.extract_cli import extract as extract_command
from services.app.models_cli import Model, models_app, train_command
from services.app.run import run as run_command
from services.app.serve import serve_command
from services.app.users_cli import users_app
from services.core.auth import Role
from services.core.settings import TriageSettings

app = typer.Typer(
    help="Claims triage: FNOL intake, document extraction, fraud and severity scoring, routing.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
app.add_typer(audit_app, name="audit")
app.add_typer(models_app, name="models")
app.add_typer(compliance_app, name="compliance")
app.add_typer(users_app, name="users")
models_app.command("inventory")(inventory_command)
app.command("extract")(extract_command)
app.command("run")(run_command)
app.command("serve")(serve_command)


class ModelName(StrEnum):
    FRAUD = "fraud"
    SEVERITY = "severity"
    PERIL = "peril"
    ALL = "all"


@app.command()
def demo(
    claims: Annotated[int, typer.Option(help="How many FNOLs to generate and route.", min=1)] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the FNOL generator.")] = 7,
    exit_after: Annotated[
        bool, typer.Option("--exit", envvar="DEMO_EXIT", help="Exit after the summary (scripts, CI); DEMO_EXIT=1 too.")
    ] = False,
) -> None:
    """Run the product in one process (`triage serve`), send it generated FNOLs with PDFs over HTTP, print a
    summary, and keep serving the adjuster queue until Ctrl-C (unless --exit).

    Trains the fraud, severity and peril models first if none is registered.
    """
    from services.app.demo import print_summary, run_demo
    from services.app.product import Ports
    from services.app.serve import serve_until_stopped

    settings = TriageSettings(bus="memory")
    logging.basicConfig(level=logging.WARNING)
    result = run_demo(
        settings,
        claims=claims,
        seed=seed,
        console=console,
        ports=Ports(),
        stay_up=None if exit_after else lambda product: serve_until_stopped(product, console),
    )
    if exit_after:
        print_summary(result, console)


@app.command()
def token(
    subject: Annotated[str, typer.Argument(help="Who the token is for: an adjuster's user name, an intake system.")],
    role: Annotated[list[Role], typer.Option(help="A role to grant; repeat for several.")],
    hours: Annotated[float, typer.Option(help="Lifetime.", min=0.01)] = 8.0,
) -> None:
    """Mint a bearer token (development; production uses the IdP's): for the intake API (--role intake_system)
    signed with TRIAGE_INTAKE_TOKEN_SECRET, for the adjuster API (the other roles) with TRIAGE_ADJUSTER_TOKEN_SECRET.
    """
    from services.core.auth import mint_token

    print(mint_token(subject, role, _token_secret(set(role)), lifetime=timedelta(hours=hours)))


def _token_secret(roles: set[Role]) -> str:
    from services.core.settings import AdjusterSettings, IntakeApiSettings

    if Role.INTAKE_SYSTEM not in roles:
        return AdjusterSettings().token_secret.get_secret_value()
    if roles != {Role.INTAKE_SYSTEM}:
        raise typer.BadParameter("intake_system is the intake API's role, signed with its own key: mint it alone")
    secret = IntakeApiSettings().token_secret
    if secret is None:
        raise typer.BadParameter("this intake API admits by client certificate (mutual TLS): it takes no token")
    return secret.get_secret_value()


@app.command()
def train(
    model: Annotated[ModelName, typer.Argument(help="Which model to train.")] = ModelName.ALL,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Training config (YAML) for one model: seed, folds, rounds, "
            "data file, hold-out; same config and data, same metrics."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="With `all`: train even the models that have a champion.")] = False,
    with_feedback: Annotated[
        bool,
        typer.Option(
            help="fraud, severity: add the adjusters' decisions stored in the "
            "claim store (claims.feedback.v1) as labels."
        ),
    ] = False,
    feedback_weight: Annotated[
        float | None, typer.Option(help="Training weight of each decision (a data set row weighs 1); default 1.")
    ] = None,
) -> None:
    """Train on the data sets in TRIAGE_DATASETS_DIR and register in MLflow.

    `all` trains each model that has no champion yet (every one with --force); a named model is
    trained (from --config if given) and registered as challenger: `triage models promote` decides.
    """
    if model is ModelName.ALL:
        from training.run import train_missing

        if with_feedback:
            raise typer.BadParameter("name the model to train with feedback: fraud or severity")
        console.print(train_missing(TriageSettings(), console=console, force=force))
    else:
        train_command(Model(model.value), config, with_feedback, feedback_weight)


@app.command()
def schemas(out: Annotated[Path, typer.Option(help="Folder to write the JSON Schemas to.")] = Path("schemas")) -> None:
    """Write the JSON Schemas of the FNOL, the claim case and the settlement (generated from the pydantic models)."""
    from services.core.events import FNOL, ClaimCase, Settlement

    out.mkdir(parents=True, exist_ok=True)
    for name, model in (("fnol.v1", FNOL), ("claim-case.v1", ClaimCase), ("settlement.v1", Settlement)):
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2) + "\n")
        console.print(f"wrote {path}")


if __name__ == "__main__":
    app()
