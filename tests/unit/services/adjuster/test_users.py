"""Local users: argon2 hashes, never the password; wrong, unknown and disabled users alike are not signed in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from services.adjuster.users import UserError, UserStore
from services.core.auth import Role
from services.core.tables import users as users_table

PASSWORD = "correct horse battery"


@pytest.fixture
def users(database_url: str) -> UserStore:
    return UserStore.open(database_url)


def test_only_an_argon2_hash_of_the_password_is_stored(users: UserStore) -> None:
    users.add("alice", PASSWORD, [Role.ADJUSTER])
    with users.engine.connect() as conn:
        stored = conn.execute(select(users_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_the_right_password_signs_in_with_the_users_roles(users: UserStore) -> None:
    users.add("sam", PASSWORD, [Role.SUPERVISOR, Role.ADJUSTER])
    who = users.authenticate("sam", PASSWORD)
    assert who is not None and who.subject == "sam" and who.roles == {Role.SUPERVISOR, Role.ADJUSTER}
    assert users.authenticate("sam", PASSWORD + "!") is None
    assert users.authenticate("nobody", PASSWORD) is None


def test_a_disabled_user_cannot_sign_in_and_their_session_ends(users: UserStore) -> None:
    users.add("alice", PASSWORD, [Role.ADJUSTER])
    assert users.signed_in("alice") is not None
    users.disable("alice")
    assert users.authenticate("alice", PASSWORD) is None
    assert users.signed_in("alice") is None
    assert [(u.username, u.active) for u in users.list()] == [("alice", False)]  # kept: the audit log names them


def test_a_new_password_replaces_the_old_one(users: UserStore) -> None:
    users.add("alice", PASSWORD, [Role.ADJUSTER])
    users.set_password("alice", "another long password")
    assert users.authenticate("alice", PASSWORD) is None
    assert users.authenticate("alice", "another long password") is not None


def test_a_hash_made_with_weaker_parameters_is_replaced_at_sign_in(database_url: str) -> None:
    current = UserStore.open(database_url)
    weak = UserStore(current.engine, PasswordHasher(time_cost=1, memory_cost=8 * 1024))  # as an older release hashed
    weak.add("alice", PASSWORD, [Role.ADJUSTER])
    assert current.authenticate("alice", PASSWORD) is not None
    with current.engine.connect() as conn:
        rehashed = conn.execute(select(users_table.c.password_hash)).scalar_one()
    assert not PasswordHasher().check_needs_rehash(rehashed)


@pytest.mark.parametrize(
    ("username", "password", "roles", "message"),
    [
        ("alice", "short", [Role.ADJUSTER], "shorter than 12 characters"),
        ("alice", PASSWORD, [], "at least one role"),
        ("alice", PASSWORD, [Role.INTAKE_SYSTEM], "machine's role"),
        ("al ice", PASSWORD, [Role.ADJUSTER], "not a valid user name"),
        ("", PASSWORD, [Role.ADJUSTER], "not a valid user name"),
    ],
)
def test_bad_users_are_refused_with_what_to_change(
    users: UserStore, username: str, password: str, roles: list[Role], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        users.add(username, password, roles)
    assert users.list() == []


def test_a_taken_name_or_an_unknown_user_is_refused(users: UserStore) -> None:
    users.add("alice", PASSWORD, [Role.ADJUSTER])
    with pytest.raises(UserError, match="already a user 'alice'"):
        users.add("alice", PASSWORD, [Role.AUDITOR])
    with pytest.raises(UserError, match="no user 'bob'"):
        users.disable("bob")
