"""Bearer tokens: a verified token is kept until it expires, and only for the key that verified it."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import jwt
import pytest
from cachetools import TLRUCache

from services.core import auth
from services.core.auth import InvalidToken, Role, mint_token, read_token

SECRET = "a-test-secret-of-at-least-32-bytes-0123"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Clock]:
    """Counts PyJWT's decodes, over a fresh cache on a clock the test moves."""
    clock, calls, decode = Clock(), [], jwt.decode

    def counted(token: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    monkeypatch.setattr(auth, "_verified", TLRUCache(maxsize=8, ttu=lambda _k, v, _n: v.expires, timer=clock))
    return calls, clock


def test_a_token_is_verified_once_until_it_expires(decodes: tuple[list[str], Clock]) -> None:
    calls, clock = decodes
    token = mint_token("acme", [Role.INTAKE_SYSTEM], SECRET, lifetime=timedelta(minutes=5))
    for _ in range(3):
        assert read_token(token, SECRET).roles == {Role.INTAKE_SYSTEM}
    assert len(calls) == 1
    clock.now += 301  # past its expiry: verified afresh (and refused by PyJWT once real time gets there too)
    read_token(token, SECRET)
    assert len(calls) == 2


def test_a_token_verified_with_one_key_is_refused_with_another(decodes: tuple[list[str], Clock]) -> None:
    token = mint_token("acme", [Role.INTAKE_SYSTEM], SECRET)
    read_token(token, SECRET)
    with pytest.raises(InvalidToken, match="Signature verification failed"):
        read_token(token, "another-secret-of-at-least-32-bytes-xyz")


def test_an_expired_token_is_refused_and_not_kept(decodes: tuple[list[str], Clock]) -> None:
    calls, _ = decodes
    expired = mint_token("acme", [Role.INTAKE_SYSTEM], SECRET, lifetime=timedelta(seconds=-1))
    for _ in range(2):
        with pytest.raises(InvalidToken, match="expired"):
            read_token(expired, SECRET)
    assert len(calls) == 2
