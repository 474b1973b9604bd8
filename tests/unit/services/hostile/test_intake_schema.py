"""Schemathesis against the intake API's own OpenAPI document, as an intake system: whatever it sends, never a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from benchmarks.hostile import all_roles_token, intake_schema

SECRET = "schemathesis-intake-secret-not-for-production-0123456789"
schema = intake_schema(Path(tempfile.mkdtemp(prefix="triage-st-")), SECRET)
HEADERS = all_roles_token(SECRET)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_intake_api_fail(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers=HEADERS)
    case.validate_response(response, checks=[not_a_server_error])
