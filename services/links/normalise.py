"""Values as they are matched: one spelling for each phone, e-mail, address, account, vehicle and name.

Phones go to E.164 with libphonenumber (`phonenumbers`); United States street lines are parsed with
`usaddress` (a CRF address parser) and other countries' with the same abbreviation table on plain tokens;
names lose accents, case, punctuation and titles. A value that cannot be normalised gives None: it never
links two claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import usaddress

# USPS Publication 28 suffixes and directions, and their common European counterparts: one word for each.
STREET_WORDS = {
    "street": "st",
    "st.": "st",
    "avenue": "ave",
    "av": "ave",
    "av.": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "square": "sq",
    "highway": "hwy",
    "parkway": "pkwy",
    "terrace": "ter",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "apartment": "apt",
    "suite": "ste",
    "rue": "r",
    "strasse": "str",
    "straße": "str",
}
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "mme", "m", "herr", "frau", "jr", "sr"})
_COMPANY_WORDS = frozenset({"ltd", "limited", "inc", "llc", "gmbh", "sarl", "sa", "co", "corp", "the", "and"})
_NOT_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def _plain(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: `José-María  O'Neil` is `jose maria o neil`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", ascii_only)).strip()


@lru_cache(maxsize=1 << 16)  # a claim's documents repeat its FNOL's values; parsing is the cost
def phone(raw: str | None, country: str = "US") -> str | None:
    """E.164 (`+442079460000`); a number without a country code is read as one of `country`."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(raw: str | None) -> str | None:
    """Lower case and trimmed; anything without one `@` between two non-empty parts is no address."""
    if not raw:
        return None
    value = raw.strip().casefold()
    local, at, domain = value.partition("@")
    return value if at and local and domain and "@" not in domain else None


@lru_cache(maxsize=1 << 16)  # a claim's documents repeat its FNOL's values; parsing is the cost
def name(raw: str | None) -> str | None:
    """A person's name without accents, case, punctuation or titles: `Dr. José O'Neil` is `jose o neil`."""
    if not raw:
        return None
    words = [w for w in _plain(raw).split() if w not in TITLES]
    return " ".join(words) or None


def company(raw: str | None) -> str | None:
    """A business name without its legal form: `Smith & Sons Ltd.` and `SMITH SONS` are `smith sons`."""
    if not raw:
        return None
    words = [w for w in _plain(raw).split() if w not in _COMPANY_WORDS]
    return " ".join(words) or None


def vin(raw: str | None) -> str | None:
    value = re.sub(r"[\s-]", "", raw or "").upper()
    return value if len(value) == 17 else None


def plate(raw: str | None) -> str | None:
    """Registration plates as the letters and digits only: `AB-123 CD` is `AB123CD`."""
    value = re.sub(r"[^A-Za-z0-9]", "", raw or "").upper()
    return value or None


def bank_account(iban: str | None = None, account: str | None = None, routing: str | None = None) -> str | None:
    """An IBAN without spaces (its check digits verified), else `routing:account` digits; None when neither."""
    if iban:
        value = re.sub(r"\s", "", iban).upper()
        rearranged = value[4:] + value[:4]
        digits = "".join(str(int(c, 36)) for c in rearranged) if _IBAN.match(value) else ""
        return value if digits and int(digits) % 97 == 1 else None
    if account and routing:
        return f"{re.sub(r'[^0-9]', '', routing)}:{re.sub(r'[^0-9]', '', account)}"
    return None


@dataclass(frozen=True)
class PostalAddress:
    """A normalised address: what the match model compares and the blocking keys are made of."""

    number: str
    street: str
    postcode: str
    city: str
    country: str

    @property
    def key(self) -> str:
        return "|".join((self.country, self.postcode, self.number, self.street, self.city))


def _street_words(text: str) -> list[str]:
    return [STREET_WORDS.get(w, w) for w in _plain(text).split()]


@lru_cache(maxsize=1 << 16)  # a claim's documents repeat its FNOL's values; parsing is the cost
def _us_street(street: str) -> tuple[str, str]:
    """House number and street (with its unit) of a US street line, parsed by usaddress."""
    try:
        tagged, _ = usaddress.tag(street)
    except usaddress.RepeatedLabelError:
        tagged = {}
    number = str(tagged.get("AddressNumber", ""))
    rest = " ".join(
        str(v) for k, v in tagged.items() if k not in {"AddressNumber", "PlaceName", "StateName", "ZipCode"}
    )
    return number, " ".join(_street_words(rest))


def address(street: str | None, city: str, postcode: str | None, country: str) -> PostalAddress | None:
    """The address parsed into number, street, postcode and city; None without a street (a city is no address)."""
    if not street:
        return None
    if country == "US":
        number, line = _us_street(street)
    else:
        words = _street_words(street)
        numbers = [w for w in words if w.isdigit()]
        number = numbers[0] if numbers else ""
        line = " ".join(w for w in words if w != number)
    if not line:
        return None
    return PostalAddress(number, line, re.sub(r"\s", "", (postcode or "").upper()), _plain(city), country)
