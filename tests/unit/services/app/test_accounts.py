"""The demo user `triage serve` makes on a fresh database, and the sign-in it wires from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.adjuster.users import UserStore
from services.app.accounts import DEMO_ROLES, ensure_demo_user, workbench_sign_in


def test_the_demo_user_is_made_once_with_a_generated_password(tmp_path: Path) -> None:
    users = UserStore.open(f"sqlite:///{tmp_path / 'triage.db'}")
    first = ensure_demo_user(users)
    assert first.password is not None
    who = users.authenticate(first.username, first.password)
    assert who is not None and who.roles == set(DEMO_ROLES)
    again = ensure_demo_user(users)
    assert again.password is None  # kept as it was: the first start printed it
    assert users.authenticate(first.username, first.password) is not None
    other = ensure_demo_user(UserStore.open(f"sqlite:///{tmp_path / 'other.db'}"))
    assert other.password != first.password


def test_a_disabled_demo_user_stays_disabled(tmp_path: Path) -> None:
    users = UserStore.open(f"sqlite:///{tmp_path / 'triage.db'}")
    made = ensure_demo_user(users)
    users.disable(made.username)
    ensure_demo_user(users)
    assert made.password is not None and users.authenticate(made.username, made.password) is None


def test_the_identity_provider_is_wired_only_when_an_issuer_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = UserStore.open(f"sqlite:///{tmp_path / 'triage.db'}")
    monkeypatch.delenv("TRIAGE_OIDC_ISSUER", raising=False)
    assert workbench_sign_in(users.engine).oidc is None and workbench_sign_in(users.engine).local
    monkeypatch.setenv("TRIAGE_OIDC_ISSUER", "https://sso.insurer.example/realms/claims/")
    monkeypatch.setenv("TRIAGE_OIDC_LOCAL_USERS", "false")
    wired = workbench_sign_in(users.engine)
    assert wired.oidc is not None and wired.oidc.issuer == "https://sso.insurer.example/realms/claims"
    assert not wired.local


def test_the_welcome_names_the_demo_user_and_its_password_once(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from services.app.serve import sign_in_hint

    users = UserStore.open(f"sqlite:///{tmp_path / 'triage.db'}")
    product = SimpleNamespace(pipeline=SimpleNamespace(deps=SimpleNamespace(store=users)))  # what the hint reads
    first = sign_in_hint(product)  # type: ignore[arg-type]
    password = first.split("the password [bold]")[1].split("[/]")[0]
    assert "sign in as [bold]demo[/]" in first and users.authenticate("demo", password) is not None
    again = sign_in_hint(product)  # type: ignore[arg-type]
    assert password not in again and "triage users passwd demo" in again
