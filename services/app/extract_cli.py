"""`triage extract FILE…`: what docextract reads from a user's own documents, without the pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def extract(
    files: Annotated[
        list[Path],
        typer.Argument(help="PDFs or images (PNG, JPEG, TIFF) to read.", exists=True, dir_okay=False, readable=True),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file instead of tables.")] = False,
    country: Annotated[
        str | None,
        typer.Option(
            help="The claim's country (ISO code, e.g. US, GB, IN): orders dates like 03/04/2026 that a document "
            "leaves open. Unset: the document decides, or such dates get a low confidence."
        ),
    ] = None,
) -> None:
    """Print each document's type and fields (value, confidence, page, position), as the docextract stage reads them.

    Exits 1 when a file could not be read (each is still tried and its reason printed).
    """
    from services.docextract.local import read_file

    unreadable = 0
    for path in files:
        summary, fields = read_file(path, country=country)
        unreadable += summary.error is not None
        if as_json:
            print(
                json.dumps(
                    {
                        "file": str(path),
                        "doc_type": summary.doc_type,
                        "kind": summary.kind,
                        "pages": summary.pages,
                        "error": summary.error,
                        "fields": [field.model_dump(mode="json", exclude={"document"}) for field in fields],
                        "line_items": [item.model_dump(mode="json") for item in summary.line_items],
                    }
                )
            )
            continue
        title = f"{path.name}: {summary.doc_type} ({summary.kind}), {summary.pages} page(s)"
        if summary.error:
            console.print(f"[red]{path.name}: cannot be read: {summary.error}[/red]")
            continue
        table = Table(title=title, title_justify="left")
        table.add_column("field", no_wrap=True)
        table.add_column("value", overflow="fold", max_width=48)
        for column in ("conf.", "page", "at (left, top)", "read by"):
            table.add_column(column, no_wrap=True)
        for field in fields:
            box = field.box
            where = f"{box.x0:.0f}, {box.top:.0f} {box.unit}" if box else ""
            table.add_row(field.name, field.value, f"{field.confidence:.2f}", str(field.page), where, field.method)
        console.print(table)
    if unreadable:
        raise typer.Exit(code=1)  # every file was tried; the exit status says not all could be read
