"""The identity provider's verified claims as a workbench person: the name and the roles it knows, or a refusal.

The protocol itself (PKCE, the code exchange, the ID token's checks) is Authlib's, tested against a real Keycloak
in tests/integration/test_oidc_keycloak.py."""

from __future__ import annotations

import pytest

from services.adjuster.oidc import SignInRefused, principal
from services.core.auth import Role
from services.core.settings import OidcSettings

KEYCLOAK = OidcSettings(issuer="https://sso.insurer.example/realms/claims")


def test_keycloak_realm_roles_become_workbench_roles_and_others_are_ignored() -> None:
    claims = {
        "sub": "0d6c…",
        "preferred_username": "sam",
        "realm_access": {"roles": ["supervisor", "adjuster", "offline_access", "default-roles-claims"]},
    }
    who = principal(claims, KEYCLOAK)
    assert who.subject == "sam" and who.roles == {Role.SUPERVISOR, Role.ADJUSTER}


def test_another_providers_claim_path_and_a_space_separated_list() -> None:
    settings = OidcSettings(issuer="https://idp.example", role_claim="groups", username_claim="email")
    who = principal({"sub": "x", "email": "ann@insurer.example", "groups": "auditor staff"}, settings)
    assert who.subject == "ann@insurer.example" and who.roles == {Role.AUDITOR}


def test_without_a_username_claim_the_subject_names_the_person() -> None:
    assert principal({"sub": "4f1e", "realm_access": {"roles": ["auditor"]}}, KEYCLOAK).subject == "4f1e"


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "x", "preferred_username": "eve", "realm_access": {"roles": ["offline_access"]}},
        {"sub": "x", "preferred_username": "eve", "realm_access": {"roles": ["intake_system"]}},  # a machine's role
        {"sub": "x", "preferred_username": "eve"},
    ],
)
def test_a_person_without_a_workbench_role_is_refused_with_what_to_ask_for(claims: dict[str, object]) -> None:
    with pytest.raises(SignInRefused, match="eve has no role in claims triage .* ask your administrator"):
        principal(claims, KEYCLOAK)


def test_an_issuer_that_is_not_a_url_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="TRIAGE_OIDC_ISSUER must be an http"):
        OidcSettings(issuer="sso.insurer.example")
