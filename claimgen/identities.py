"""People, phones, addresses, accounts and businesses for a book of claims: diverse enough that two honest
claimants rarely share anything by chance, and with the small variations a synthetic identity shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from claimgen.fnol import AREA_CODES, PLATE_LETTERS, STREETS, vin_with_check_digit, words
from services.core.events import Address, BankAccount, Person

FIRST = words(
    "Maria James Linda Robert Patricia Michael Jennifer David Elena Samuel Aisha Omar Chloe Lucas Emma "
    "Noah Olivia Liam Sophia Mason Ava Ethan Mia Logan Isabella Jacob Amelia Daniel Harper Henry Evelyn "
    "Owen Abigail Wyatt Emily Jack Ella Luke Grace Leo Zoe Isaac Nora Caleb Lily Ryan Hannah Nathan Layla "
    "Adam Ruby Hugo Ines Marco Priya Arjun Mei Kenji Fatima Yusuf Sara Pavel Olga Tomas Rosa Diego Ana "
    "Jonathan Katherine"
)
_SYLLABLES = words("mar tin son ber ger man ley ford wood field ham ston ward well ridge hall land ver kin ton dal")
SUFFIXES = (("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"), ("Lane", "Ln"), ("Court", "Ct"))
CITIES = (  # city, state, zip prefix (the area code is the state's, claimgen.fnol.AREA_CODES)
    ("Springfield", "IL", "627"),
    ("Columbus", "OH", "432"),
    ("Arlington", "VA", "222"),
    ("Riverside", "CA", "925"),
    ("Madison", "WI", "537"),
    ("Hillsboro", "OR", "971"),
)
DOMAINS = ("example.com", "mail.example.org", "post.example.net", "inbox.example.com")


def _one(rng: np.random.Generator, choices: Sequence[str]) -> str:
    """One of `choices`; `rng.choice` on a list of strings would copy it into an array on every draw."""
    return choices[int(rng.integers(0, len(choices)))]


def surnames(rng: np.random.Generator, count: int) -> list[str]:
    """`count` distinct made-up surnames of two or three syllables (Hamford, Tinsonward...)."""
    made: set[str] = set()
    while len(made) < count:
        parts = rng.choice(_SYLLABLES, size=int(rng.integers(2, 4)))
        made.add("".join(str(p) for p in parts).capitalize())
    return sorted(made)


@dataclass(frozen=True)
class Identity:
    """Who files or appears on a claim, with how they write their address."""

    first: str
    last: str
    dob: date
    phone: str
    email: str
    number: int
    street: str
    suffix: str
    city: int
    postcode: str
    bank: BankAccount | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def address(self) -> Address:
        city, state, _ = CITIES[self.city]
        return Address(
            street=f"{self.number} {self.street} {self.suffix}", city=city, region=state, postcode=self.postcode
        )

    def person(self) -> Person:
        return Person(
            name=self.name, date_of_birth=self.dob, email=self.email, phone=self.phone, address=self.address()
        )


class Population:
    """Draws identities, phones and accounts; the pools are large, as a real book's are."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.last = surnames(rng, 3000)

    def phone(self, city: int) -> str:
        exchange, line = int(self.rng.integers(200, 999)), int(self.rng.integers(0, 10000))
        return f"({AREA_CODES[CITIES[city][1]]}) {exchange}-{line:04d}"

    def bank(self) -> BankAccount:
        routing = "".join(str(d) for d in self.rng.integers(0, 10, 9))
        return BankAccount(account_number=str(int(self.rng.integers(10**7, 10**10))), routing_number=routing)

    def vehicle(self) -> tuple[str, str]:
        """A VIN and a plate (three letters, four digits)."""
        letters = "".join(str(c) for c in self.rng.choice(list(PLATE_LETTERS), 3))
        return vin_with_check_digit(self.rng), f"{letters}-{int(self.rng.integers(0, 10000)):04d}"

    def identity(self, last: str | None = None, city: int | None = None) -> Identity:
        rng = self.rng
        city = int(rng.integers(0, len(CITIES))) if city is None else city
        first, last = _one(rng, FIRST), last or _one(rng, self.last)
        suffix = SUFFIXES[int(rng.integers(0, len(SUFFIXES)))]
        return Identity(
            first=first,
            last=last,
            dob=date(1950, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 55))),
            phone=self.phone(city),
            email=f"{first.lower()}.{last.lower()}{int(rng.integers(1, 999))}@{_one(rng, DOMAINS)}",
            number=int(rng.integers(1, 9999)),
            street=_one(rng, STREETS),
            suffix=suffix[int(rng.integers(0, 2))],
            city=city,
            postcode=f"{CITIES[city][2]}{int(rng.integers(0, 100)):02d}",
            bank=self.bank() if rng.random() < 0.5 else None,
        )


def variant(identity: Identity, rng: np.random.Generator) -> Identity:
    """The same identity as a fraudster re-uses it: a letter changed, a nickname, the street written another way."""
    first, last = identity.first, identity.last
    if rng.random() < 0.5:
        i = int(rng.integers(1, len(last)))
        last = last[:i] + last[i + 1 :] if rng.random() < 0.5 else last[:i] + last[i - 1] + last[i:]
    else:
        first = first[:-1] if len(first) > 3 else first + "e"
    full, short = next(((f, s) for f, s in SUFFIXES if identity.suffix in (f, s)), (identity.suffix, identity.suffix))
    suffix = short if identity.suffix == full else full
    email = f"{first.lower()}.{last.lower()}{int(rng.integers(1, 999))}@{_one(rng, DOMAINS)}"
    return replace(identity, first=first, last=last, suffix=suffix, email=email)
