"""International value formats: dates in either order and with month names, money with its currency, phones.

Whether `03/04/2026` is the 3rd of April or March 4th is decided per document from what it
shows (an unambiguous date such as 13/04/2026, a printed `DD/MM/YYYY`, a currency or phone
prefix of one country), then from the claim's country; undecided, a date that could be read
both ways is given, but as uncertain.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import phonenumbers
from dateutil import parser as dateutil_parser

from services.docextract.values import parse_amount

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b")
_MONTHS = [
    ("January", "Jan", "Janvier", "Januar", "Jänner", "Janv"),
    ("February", "Feb", "Février", "Februar", "Fevrier", "Févr", "Fév"),
    ("March", "Mar", "Mars", "März", "Maerz", "Mrz"),
    ("April", "Apr", "Avril", "Avr"),
    ("May", "Mai"),
    ("June", "Jun", "Juin", "Juni"),
    ("July", "Jul", "Juillet", "Juli", "Juil"),
    ("August", "Aug", "Août", "Aout"),
    ("September", "Sep", "Sept", "Septembre"),
    ("October", "Oct", "Octobre", "Oktober", "Okt"),
    ("November", "Nov", "Novembre"),
    ("December", "Dec", "Décembre", "Dezember", "Dez", "Déc"),
]
_MONTH_WORD = re.compile(
    "|".join(sorted((re.escape(w) for names in _MONTHS for w in names), key=len, reverse=True)), re.IGNORECASE
)
_DATE_NOISE = re.compile(r"(?i)\b(?:le|den|am|the|of|de|du)\b|(?<=\d)(?:st|nd|rd|th|er)\b|\(.*?\)|,")
_TIME = re.compile(r"(?i)^(\d{1,2})(?:[:.h](\d{2}))?(?::\d{2})?\s*([ap]\.?\s?m\.?)?$")
# what a currency is printed as: symbols and words, longest first
_CURRENCY_MARKS: tuple[tuple[str, str], ...] = (
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("AU$", "AUD"),
    ("NZ$", "NZD"),
    ("Rs.", "INR"),
    ("Rs", "INR"),
    ("₹", "INR"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("CHF", "CHF"),
    ("Fr.", "CHF"),
    ("$", "USD"),
)
CURRENCY_CODES = frozenset(
    {
        "USD",
        "EUR",
        "GBP",
        "INR",
        "CAD",
        "AUD",
        "NZD",
        "CHF",
        "JPY",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "ZAR",
        "SGD",
        "HKD",
        "MXN",
        "BRL",
        "AED",
    }
)
_CODE = re.compile(r"\b(" + "|".join(sorted(CURRENCY_CODES)) + r")\b")
# the country whose conventions a currency brings: day-first outside the US, phone numbers' region
CURRENCY_REGION = {
    "USD": "US",
    "CAD": "CA",
    "INR": "IN",
    "GBP": "GB",
    "AUD": "AU",
    "NZD": "NZ",
    "CHF": "CH",
    "JPY": "JP",
    "SEK": "SE",
    "NOK": "NO",
    "DKK": "DK",
    "PLN": "PL",
    "ZAR": "ZA",
    "SGD": "SG",
    "HKD": "HK",
    "MXN": "MX",
    "BRL": "BR",
    "AED": "AE",
}
MONTH_FIRST_REGIONS = frozenset({"US"})


class _Months(dateutil_parser.parserinfo):
    # dateutil reads any number of names for a month; its stubs allow two or three
    MONTHS = [tuple(names) for names in _MONTHS]  # type: ignore[misc]


_PARSER_INFO = _Months()
_SENTINELS = (datetime(1901, 1, 1), datetime(1902, 2, 2))


def parse_date(raw: str, *, day_first: bool | None) -> tuple[date, bool] | None:
    """A printed date and whether its day/month order is certain; None if it is no full date.

    `day_first` None: the document did not say; an ambiguous numeric date is read month first.
    """
    text = " ".join(_DATE_NOISE.sub(" ", raw).split()).strip(" .")
    if not text or len(text) > 32 or not re.search(r"\d", text):
        return None
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric:
        return _numeric_date(numeric, day_first)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:  # year first is always year-month-day
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3])), True
        except ValueError:
            return None
    if not _MONTH_WORD.search(text):
        return None
    try:  # a full date parses to the same day whatever the default; a part-date takes the default's parts
        first, second = (
            dateutil_parser.parse(text, parserinfo=_PARSER_INFO, default=s, dayfirst=True) for s in _SENTINELS
        )
    except (ValueError, OverflowError):
        return None
    return (first.date(), True) if first == second and 1950 <= first.year <= 2100 else None


def _numeric_date(match: re.Match[str], day_first: bool | None) -> tuple[date, bool] | None:
    first, _, second, year_text = match.groups()
    a, b, year = int(first), int(second), int(year_text)
    year += 2000 if year < 100 else 0
    certain = a > 12 or b > 12 or a == b or day_first is not None or match.group(2) == "."
    dmy = a > 12 or (b <= 12 and (day_first or (day_first is None and match.group(2) == ".")))
    day, month = (a, b) if dmy else (b, a)
    try:
        return date(year, month, day), certain
    except ValueError:
        return None


def date_order(text: str, *, region: str | None) -> bool | None:
    """Whether the document writes numeric dates day first: from its own dates and headers, then its region."""
    upper = text.upper()
    for stated, day_first in (
        ("MM/DD/YY", False),
        ("DD/MM/YY", True),
        ("JJ/MM/AA", True),
        ("TT.MM.JJ", True),
        ("MM-DD-YY", False),
        ("DD-MM-YY", True),
    ):
        if stated in upper:
            return day_first
    votes = Counter[bool]()
    for match in _NUMERIC_DATE.finditer(text):
        a, b = int(match.group(1)), int(match.group(3))
        if a > 12 >= b:
            votes[True] += 1
        elif b > 12 >= a:
            votes[False] += 1
    if votes[True] != votes[False]:
        return votes[True] > votes[False]
    return None if region is None else region not in MONTH_FIRST_REGIONS


def parse_time(raw: str) -> str | None:
    """`2:30 PM`, `14:35`, `14h35`, `2 p.m.` -> `HH:MM`; None if it is no time of day."""
    text = " ".join(re.sub(r"(?i)\b(?:hrs?|uhr|approx|approximately|about|around|ca)\b\.?", " ", raw).split())
    match = _TIME.match(text)
    if not match or (match[2] is None and match[3] is None):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    meridiem = re.sub(r"[\s.]", "", match[3] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None  # ISO 4217 when printed with the amount


def currency_of(text: str) -> str | None:
    """The currency an amount is printed with: a code (INR, EUR) or a symbol ($, €, ₹, Rs.)."""
    code = _CODE.search(text.upper())
    if code:
        return code.group(1)
    for mark, currency in _CURRENCY_MARKS:
        if mark in text:
            return currency
    return None


_MONEY_TOKEN = re.compile(
    r"(?:[A-Z]{3}\s?|Rs\.?\s?|[$€£₹¥]\s?)?\d[\d.,' \u00a0]*\d(?:\s?(?:[A-Z]{3}|[€£₹]))?|"
    r"(?:[A-Z]{3}\s?|[$€£₹])\d"
)


def parse_money(raw: str) -> Money | None:
    """One amount with its currency if printed; None for a range (`$85,000 - $120,000`) or no number."""
    text = re.sub(r"\(.*?\)", " ", raw).strip()
    text = re.sub(
        r"(?i)\b(?:approx\.|approx\b|approximately\b|about\b|ca\.|env\.|environ\b|rund\b|circa\b)\s*", "", text
    )
    text = re.sub(r"(?<=\d)\s*(?:/-|-/|\.-|,-|–)$", "", text)  # Indian `18,000/-`, German `1.200,-`
    amounts = re.findall(r"\d[\d.,' \u00a0]*", text)
    if len([a for a in amounts if a.strip()]) != 1 or re.search(r"\d\s*(?:-|–|to|bis|à)\s*\D{0,4}\d", text):
        return None
    rest = re.sub(r"\d[\d.,' \u00a0]*", "", text)
    currency = currency_of(text)
    if re.sub(r"(?i)[A-Z]{3}|[A-Z]{1,2}\$|Rs\.?|Fr\.|[$€£₹¥]|\s|:|=", "", rest):  # more words: a sentence
        return None
    amount = parse_amount(amounts[0].replace("'", "").replace("\u00a0", " ").strip())
    return Money(amount, currency) if amount is not None and amount > 0 else None


def document_currency(text: str) -> str | None:
    """The currency most amounts of a document are printed in, or None if none is printed."""
    found = Counter(currency for match in _MONEY_TOKEN.finditer(text) if (currency := currency_of(match.group())))
    for dollar in ("CAD", "AUD", "NZD"):  # `$` on a page that says CAD means CAD
        if "USD" in found and (dollar in found or re.search(rf"\b{dollar}\b", text)):
            found[dollar] += found.pop("USD")
    return found.most_common(1)[0][0] if found else None


def parse_phone(raw: str, *, region: str | None) -> str | None:
    """A phone number in E.164 when its country is known, else its digits as printed; None if it is no phone."""
    text = re.sub(r"(?i)\b(?:ext|x|poste|durchwahl)\.?\s*\d+$", "", raw).strip()
    if re.search(r"[A-Za-z]{2}", text) or len(re.sub(r"\D", "", text)) < 7:
        return None  # `(408) 555-REST` and `1-800-HOME-DEPOT` are no numbers to call back
    try:
        number = phonenumbers.parse(text, region or "ZZ")
    except phonenumbers.NumberParseException:
        return " ".join(text.split()) if region is None and re.fullmatch(r"[\d\s()+./-]{7,}", text) else None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_region(text: str) -> str | None:
    """The country of the first international number (`+91-98…`, `+44 20 …`) printed, if any."""
    for match in re.finditer(r"\+\d[\d\s().-]{6,}\d", text):
        try:
            number = phonenumbers.parse(match.group(), None)
        except phonenumbers.NumberParseException:
            continue
        region = phonenumbers.region_code_for_number(number) or phonenumbers.region_code_for_country_code(
            number.country_code or 0
        )
        if region and region != "ZZ":
            return region
    return None
