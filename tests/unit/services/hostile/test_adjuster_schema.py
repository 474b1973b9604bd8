"""Schemathesis against the adjuster queue API's own OpenAPI document, with a token holding every role: never a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from benchmarks.hostile import adjuster_schema, all_roles_token

SECRET = "schemathesis-secret-not-for-production-0123456789"
schema = adjuster_schema(Path(tempfile.mkdtemp(prefix="triage-st-adjuster-")), SECRET)
HEADERS = all_roles_token(SECRET)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_adjuster_api_fail(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers=HEADERS)
    case.validate_response(response, checks=[not_a_server_error])
