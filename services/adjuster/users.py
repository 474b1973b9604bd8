"""Local users of the workbench: the embedded default's sign-in, with argon2-hashed passwords.

Only the hash is stored (argon2id, argon2-cffi's recommended parameters); a hash made with older parameters is
replaced at the next sign-in. A disabled user is kept, as the audit log and the queue name them, and can no
longer sign in: pages check the user at every request, so disabling ends their open sessions too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, RowMapping, select, update
from sqlalchemy.exc import IntegrityError

from services.core.auth import Principal, Role
from services.core.database import make_engine, migrate, transaction
from services.core.tables import users

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$")
MIN_PASSWORD = 12
# A person-facing role set: intake systems are machines and use bearer tokens, never a password.
PERSON_ROLES = frozenset(Role) - {Role.INTAKE_SYSTEM}


class UserError(ValueError):
    """A user that cannot be added or changed; the message says what to change."""


@dataclass(frozen=True)
class User:
    username: str
    roles: frozenset[Role]
    active: bool
    created_at: datetime


class UserStore:
    """The users table: add, list, disable, set a password, and check one at sign-in."""

    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        self._hasher = hasher or PasswordHasher()
        # Checked against when the name is unknown, so an unknown name takes as long as a wrong password.
        self._decoy = self._hasher.hash("no such user")

    @classmethod
    def open(cls, url: str) -> UserStore:
        """The users of the database at `url`, migrated to the newest schema first."""
        migrate(url)
        return cls(make_engine(url))

    def add(self, username: str, password: str, roles: Iterable[Role]) -> User:
        """A new active user; UserError if the name is taken or invalid, the password short or a role missing."""
        granted = _person_roles(roles)
        _check_username(username)
        row = {
            "username": username,
            "password_hash": self._hasher.hash(_checked_password(password)),
            "roles": ",".join(sorted(r.value for r in granted)),
            "active": True,
            "created_at": datetime.now(UTC),
        }
        try:
            with transaction(self.engine) as conn:
                conn.execute(users.insert().values(**row))
        except IntegrityError as taken:
            raise UserError(f"there is already a user {username!r}: choose another name") from taken
        return _user(row)

    def list(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.username)).mappings()]

    def get(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
        return _user(row) if row else None

    def disable(self, username: str) -> User:
        """The user can no longer sign in; their sessions end at their next request."""
        self._update(username, active=False)
        return self._existing(username)

    def set_password(self, username: str, password: str) -> User:
        self._update(username, password_hash=self._hasher.hash(_checked_password(password)))
        return self._existing(username)

    def authenticate(self, username: str, password: str) -> Principal | None:
        """The principal of an active user whose password matches; None otherwise (whichever was wrong)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
        try:
            self._hasher.verify(row["password_hash"] if row else self._decoy, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row["active"]:
            return None
        if self._hasher.check_needs_rehash(row["password_hash"]):
            self._update(username, password_hash=self._hasher.hash(password))
        return Principal(username, _user(row).roles)

    def signed_in(self, username: str) -> Principal | None:
        """The principal of a local session's user now: None once they are disabled or removed."""
        user = self.get(username)
        return Principal(user.username, user.roles) if user and user.active else None

    def _update(self, username: str, **values: object) -> None:
        with transaction(self.engine) as conn:
            changed = conn.execute(update(users).where(users.c.username == username).values(**values)).rowcount
        if not changed:
            raise UserError(f"there is no user {username!r}: `triage users list` shows them")

    def _existing(self, username: str) -> User:
        user = self.get(username)
        assert user is not None  # _update found it
        return user


def _person_roles(roles: Iterable[Role]) -> frozenset[Role]:
    granted = frozenset(roles)
    if not granted:
        raise UserError(f"give the user at least one role: {', '.join(sorted(r.value for r in PERSON_ROLES))}")
    if Role.INTAKE_SYSTEM in granted:
        raise UserError("intake_system is a machine's role: intake systems use bearer tokens, not passwords")
    return granted


def _check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise UserError(
            f"{username!r} is not a valid user name: letters, digits and . _ @ - (starting with a letter or digit), "
            "at most 200 characters"
        )


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is shorter than {MIN_PASSWORD} characters: choose a longer one")
    return password


def _user(row: RowMapping | dict[str, object]) -> User:
    roles = frozenset(Role(r) for r in str(row["roles"]).split(",") if r)
    return User(str(row["username"]), roles, bool(row["active"]), row["created_at"])  # type: ignore[arg-type]
