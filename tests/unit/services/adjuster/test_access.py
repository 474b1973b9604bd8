"""Every endpoint and page against every role: 401 without a valid token (a page without any credential sends the
browser to sign in), 403 for the wrong role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.core.auth import Role, mint_token
from tests.unit.services.adjuster.conftest import SECRET, Desk, token

CLAIM = "{claim}"
A = (Role.ADJUSTER, Role.SUPERVISOR)
ENDPOINTS: list[tuple[str, str, dict[str, object] | None, tuple[Role, ...]]] = [
    ("GET", "/v1/queue", None, A),
    ("GET", f"/v1/cases/{CLAIM}", None, (*A, Role.AUDITOR)),
    ("POST", f"/v1/cases/{CLAIM}/take", None, A),
    ("POST", f"/v1/cases/{CLAIM}/decision", {"outcome": "deny", "reason": "r"}, A),
    ("POST", f"/v1/cases/{CLAIM}/reassign", {"adjuster": "bob"}, (Role.SUPERVISOR,)),
    ("GET", "/v1/audit", None, (Role.AUDITOR, Role.SUPERVISOR)),
    ("GET", "/v1/labels", None, (Role.DATA_SCIENTIST, Role.AUDITOR)),
    ("GET", "/queue", None, A),
    ("GET", f"/cases/{CLAIM}", None, (*A, Role.AUDITOR)),
    ("POST", f"/cases/{CLAIM}/take", None, A),
    ("POST", f"/cases/{CLAIM}/decision", None, A),
    ("GET", "/audit", None, (Role.AUDITOR, Role.SUPERVISOR)),
    ("GET", "/compliance/report", None, (Role.AUDITOR, Role.SUPERVISOR)),
    ("GET", "/compliance/report.pdf", None, (Role.AUDITOR, Role.SUPERVISOR)),
    ("GET", "/models/inventory", None, (Role.AUDITOR, Role.SUPERVISOR, Role.DATA_SCIENTIST)),
    ("GET", "/v1/models/inventory", None, (Role.AUDITOR, Role.SUPERVISOR, Role.DATA_SCIENTIST)),
]
MATRIX = [(method, path, body, role, role in allowed) for method, path, body, allowed in ENDPOINTS for role in Role]


def call(desk: Desk, method: str, path: str, body: dict[str, object] | None, headers: dict[str, str]) -> int:
    url = path.replace(CLAIM, desk.claim_ids[0])
    return desk.client.request(method, url, json=body, headers=headers, follow_redirects=False).status_code


@pytest.mark.parametrize(("method", "path", "body"), [(m, p, b) for m, p, b, _ in ENDPOINTS])
def test_no_token_or_a_bad_token_is_401(desk: Desk, method: str, path: str, body: dict[str, object] | None) -> None:
    assert call(desk, method, path, body, {}) == (401 if path.startswith("/v1/") else 303)
    forged = mint_token("mallory", list(Role), "another-key-of-the-same-length-0123456789abcd")
    assert call(desk, method, path, body, {"Authorization": f"Bearer {forged}"}) == 401
    expired = mint_token("alice", list(Role), SECRET, lifetime=timedelta(seconds=-1))
    assert call(desk, method, path, body, {"Authorization": f"Bearer {expired}"}) == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "allowed"), MATRIX, ids=[f"{m} {p} {r.value}" for m, p, _, r, _ in MATRIX]
)
def test_each_role_reaches_only_its_endpoints(
    desk: Desk, method: str, path: str, body: dict[str, object] | None, role: Role, allowed: bool
) -> None:
    status = call(desk, method, path, body, token(f"user-{role.value}", role))
    if allowed:
        assert status not in (401, 403)
    else:
        assert status == 403


def test_health_needs_no_token(desk: Desk) -> None:
    assert desk.client.get("/healthz").status_code == 200
