"""Schemathesis against the intake API's own OpenAPI document: whatever it sends, never a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from services.core.store import ClaimStore
from services.intake.api import create_app


def intake_app(folder: Path):  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    return create_app(publisher=MemoryBus().publisher(), receipts=ClaimStore(f"sqlite:///{folder / 'c.db'}"),
                      documents=DocumentStore(folder / "docs"), max_document_bytes=100_000)


schema = schemathesis.openapi.from_asgi("/openapi.json", intake_app(Path(tempfile.mkdtemp(prefix="triage-st-"))))


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_intake_api_fail(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
