"""`triage users add|list|disable|passwd` against the product's database; passwords are never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from services.adjuster.users import UserStore
from services.app.cli import app
from services.core.settings import TriageSettings

PASSWORD = "a long enough password"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    return tmp_path


def users() -> UserStore:
    return UserStore.open(TriageSettings().resolved_database_url())


def test_add_from_stdin_list_and_disable(data_dir: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app, ["users", "add", "alice", "--role", "adjuster", "--role", "supervisor", "--password-stdin"], PASSWORD
    )
    assert added.exit_code == 0, added.output
    assert PASSWORD not in added.output
    assert users().authenticate("alice", PASSWORD) is not None
    listed = runner.invoke(app, ["users", "list"])
    assert "alice" in listed.output and "adjuster, supervisor" in listed.output and "yes" in listed.output
    assert runner.invoke(app, ["users", "disable", "alice"]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["users", "list"]).output
    assert users().authenticate("alice", PASSWORD) is None


def test_the_prompt_asks_twice_and_does_not_echo(data_dir: Path) -> None:
    answered = CliRunner().invoke(app, ["users", "add", "ann", "--role", "auditor"], f"{PASSWORD}\n{PASSWORD}\n")
    assert answered.exit_code == 0, answered.output
    assert "Repeat for confirmation" in answered.output and PASSWORD not in answered.output
    assert users().authenticate("ann", PASSWORD) is not None


def test_passwd_sets_a_new_password(data_dir: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["users", "add", "ann", "--role", "auditor", "--password-stdin"], PASSWORD)
    changed = runner.invoke(app, ["users", "passwd", "ann", "--password-stdin"], "the new long password")
    assert changed.exit_code == 0, changed.output
    assert users().authenticate("ann", "the new long password") is not None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "bob", "--role", "adjuster", "--password-stdin"], "short", "shorter than 12 characters"),
        (["add", "bob", "--role", "intake_system", "--password-stdin"], PASSWORD, "machine's role"),
        (["add", "bob", "--role", "adjuster", "--password-stdin"], "", "read no password"),
        (["disable", "nobody"], "", "no user 'nobody'"),
    ],
)
def test_bad_input_is_refused_with_what_to_change(data_dir: Path, args: list[str], stdin: str, message: str) -> None:
    refused = CliRunner().invoke(app, ["users", *args], stdin)
    assert refused.exit_code == 2 and message in " ".join(refused.output.split())
