"""`triage compliance report` and `triage models inventory`, and the wiring of the compliance reports.

Wired into the `triage` command by services/cli.py; `build_reports` is also what the adjuster app's
auditor pages are given. mlflow and matplotlib are imported inside, so `triage --help` stays fast.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from services.core.settings import TriageSettings

if TYPE_CHECKING:
    from services.compliance.reports import ComplianceReports

compliance_app = typer.Typer(
    help="Compliance: the report on decisions, drift and outcomes across groups.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


class InventoryFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


def build_reports(settings: TriageSettings) -> ComplianceReports:
    """The compliance reports over this deployment's audit log, claim store and model registry."""
    from models.registry import ModelRegistry
    from services.app.stages import order
    from services.compliance.reports import ComplianceReports, RegistryFacts
    from services.core.audit import AuditLog
    from services.core.store import ClaimStore

    store = ClaimStore(settings.resolved_database_url(), order())
    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    return ComplianceReports(
        audit=AuditLog(store.engine), cases=store, models=RegistryFacts(registry), clock=lambda: datetime.now(UTC)
    )


@compliance_app.command("report")
def report(
    out: Annotated[Path, typer.Option(help="File to write: .html (one self-contained page) or .pdf.")],
    start: Annotated[datetime, typer.Option("--from", help="First day or time (inclusive, UTC).")],
    end: Annotated[
        datetime | None, typer.Option("--to", help="Last day (inclusive) or end time (exclusive, UTC); default now.")
    ] = None,
) -> None:
    """Write the compliance report on the claims routed in the period."""
    if out.suffix.lower() not in (".html", ".pdf"):
        raise typer.BadParameter("--out must end in .html or .pdf")
    from services.compliance.pdf import render_pdf
    from services.compliance.report import render_html

    first, last = _utc(start), _end(end)
    found = build_reports(TriageSettings()).report(first, last)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        out.write_bytes(render_pdf(found))
    else:
        out.write_text(render_html(found))
    console.print(
        f"wrote {out}: {found.claims:,} claims routed from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"
    )
    if found.integrity is not None and not found.integrity.intact:
        console.print(f"[bold red]WARNING[/]: {found.integrity.warning} The report carries this warning.")


def inventory(
    out: Annotated[Path, typer.Option(help="File to write (.json or .csv).")],
    fmt: Annotated[InventoryFormat | None, typer.Option("--format", help="json or csv; default from --out.")] = None,
) -> None:
    """Export every model version that scored a claim: serving periods, promotions, training facts, bias tests."""
    from services.compliance.inventory import to_csv, to_json

    chosen = fmt or (InventoryFormat.CSV if out.suffix.lower() == ".csv" else InventoryFormat.JSON)
    entries = build_reports(TriageSettings()).inventory()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_csv(entries) if chosen is InventoryFormat.CSV else to_json(entries))
    console.print(f"wrote {len(entries)} model versions to {out}")


def record_promotion(
    settings: TriageSettings,
    name: str,
    *,
    version: str | None,
    previous: str | None,
    promoted: bool,
    by: str,
    reasons: list[str],
    figures: dict[str, object],
) -> None:
    """Keep a promotion decision for the inventory: an audit entry, and tags on the promoted registry version."""
    from models.registry import ModelRegistry
    from services.compliance.inventory import promotion_entry
    from services.core.audit import AuditLog

    if version is None:
        return
    now = datetime.now(UTC)
    AuditLog.open(settings.resolved_database_url()).append(
        [
            promotion_entry(
                name,
                version=version,
                previous=previous,
                promoted=promoted,
                by=by,
                at=now,
                reasons=reasons,
                figures=figures,
            )
        ]
    )
    if promoted:
        registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
        registry.tag_version(
            name,
            version,
            {"promoted_by": by, "promoted_at": now.isoformat(), "promotion_reason": " ".join(reasons)[:5000]},
        )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _end(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    if value.time() == time(0) and value.tzinfo is None:  # a day: the whole day is in
        return datetime.combine(value.date() + timedelta(days=1), time(0), UTC)
    return _utc(value)
