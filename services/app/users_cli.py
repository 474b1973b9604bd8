"""`triage users`: the workbench's local users (add, list, disable, passwd), in the product's database."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from services.core.auth import Role
from services.core.settings import TriageSettings

if TYPE_CHECKING:
    from services.adjuster.users import UserStore

console = Console()
users_app = typer.Typer(
    help="Local users of the adjuster workbench (the embedded default's sign-in): add, list, disable, passwd.",
    no_args_is_help=True,
)
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="The user's sign-in name, shown in the queue and the audit log.")],
    role: Annotated[list[Role], typer.Option(help="A role to grant; repeat for several.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an active user; the password is asked for twice (never echoed) unless --password-stdin."""
    from services.adjuster.users import UserError

    users = _users()
    try:
        user = users.add(username, _password(password_stdin), role)
    except UserError as refused:
        raise typer.BadParameter(str(refused)) from refused
    console.print(f"added {user.username} ({', '.join(sorted(r.value for r in user.roles))})")


@users_app.command("list")
def list_users() -> None:
    """Every local user: roles, whether they may sign in, when they were added."""
    table = Table("user", "roles", "active", "added")
    for user in _users().list():
        roles = ", ".join(sorted(r.value for r in user.roles))
        table.add_row(user.username, roles, "yes" if user.active else "disabled", f"{user.created_at:%Y-%m-%d %H:%M}")
    console.print(table)


@users_app.command("disable")
def disable(username: Annotated[str, typer.Argument(help="The user to disable.")]) -> None:
    """Stop a user signing in; their open sessions end at their next page. They stay listed (the audit log
    names them)."""
    from services.adjuster.users import UserError

    try:
        _users().disable(username)
    except UserError as refused:
        raise typer.BadParameter(str(refused)) from refused
    console.print(f"disabled {username}")


@users_app.command("passwd")
def passwd(
    username: Annotated[str, typer.Argument(help="The user whose password to set.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password (asked for twice, never echoed, unless --password-stdin)."""
    from services.adjuster.users import UserError

    users = _users()
    try:
        users.set_password(username, _password(password_stdin))
    except UserError as refused:
        raise typer.BadParameter(str(refused)) from refused
    console.print(f"set the password of {username}")


def _users() -> UserStore:
    from services.adjuster.users import UserStore

    return UserStore.open(TriageSettings().resolved_database_url())


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise typer.BadParameter("--password-stdin read no password: pipe one line into the command")
        return line
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
