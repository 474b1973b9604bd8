"""`triage audit`: verify the audit log's hash chain, export it, purge what is past retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from services.core.settings import TriageSettings

console = Console()
audit_app = typer.Typer(
    help="The audit log: verify its hash chain, export it, purge what is past retention.", no_args_is_help=True
)


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"


@audit_app.command("verify")
def audit_verify() -> None:
    """Check every audit entry against its hash and the one before it; exit 1 if any was altered,
    deleted or reordered."""
    from services.core.audit import AuditLog

    report = AuditLog.open(TriageSettings().resolved_database_url()).verify()
    for problem in report.problems:
        console.print(f"[red]{problem}[/]")
    if not report.intact:
        console.print(f"[bold red]audit log NOT intact[/]: {len(report.problems)} problem(s), {report.entries} entries")
        raise typer.Exit(1)
    console.print(f"audit log intact: {report.entries} entries")


@audit_app.command("export")
def audit_export(
    out: Annotated[Path, typer.Argument(help="File to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or parquet.")] = ExportFormat.CSV,
    since: Annotated[datetime | None, typer.Option(help="First day or time (inclusive, UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="End day or time (exclusive, UTC).")] = None,
    allow_broken_chain: Annotated[
        bool, typer.Option(help="Export even when the hash chain does not verify (to investigate it).")
    ] = False,
) -> None:
    """Export the audit entries recorded in [since, until) in chain order; refused (exit 1) when the log's hash chain
    does not verify, unless --allow-broken-chain."""
    from services.compliance.audit_export import ChainBroken, export_audit
    from services.core.audit import AuditLog

    log = AuditLog.open(TriageSettings().resolved_database_url())
    try:
        count = export_audit(log, out, fmt.value, _utc(since), _utc(until), allow_broken_chain=allow_broken_chain)
    except ChainBroken as broken:
        console.print(f"[bold red]export refused[/]: {broken}")
        raise typer.Exit(1) from broken
    console.print(f"wrote {count} audit entries to {out}")
    if allow_broken_chain and not (check := log.verify()).intact:
        console.print(
            f"[bold red]WARNING: the audit log does NOT verify[/] ({len(check.problems)} problem(s)): "
            f"{out} holds the entries as they stand, not a verified record"
        )


@audit_app.command("purge")
def audit_purge(
    before: Annotated[
        datetime | None,
        typer.Option(
            help="Purge entries recorded before this day or time (UTC); default: the start of the retention period."
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option(help="Who purges (recorded in the purge entry); default the OS user.")
    ] = None,
) -> None:
    """Delete the audit entries older than TRIAGE_AUDIT_RETENTION_DAYS, leaving a purge entry that anchors the
    chain (verify still passes); refuses anything younger, and a log that does not verify."""
    import getpass

    from services.compliance.audit_retention import RetentionRefused, purge
    from services.core.audit import AuditLog

    settings = TriageSettings()
    now, retention = datetime.now(UTC), timedelta(days=settings.audit_retention_days)
    log = AuditLog.open(settings.resolved_database_url())
    try:
        done = purge(
            log, before=_utc(before) or now - retention, now=now, retention=retention, actor=by or getpass.getuser()
        )
    except RetentionRefused as refused:
        console.print(f"[bold red]purge refused[/]: {refused}")
        raise typer.Exit(1) from refused
    if done.entries == 0:
        console.print(f"nothing to purge: no entry recorded before {done.before.isoformat()} starts the log")
        return
    console.print(
        f"purged {done.entries} audit entries (through entry {done.through_seq}, recorded before "
        f"{done.before.isoformat()}); the log now starts after anchor {done.anchor_hash}"
    )


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
