"""Each value checked against its kind before it is accepted, and put in its canonical form.

A policy number has digits and is no sentence, an e-mail has an @, a phone enough digits, a
date is a whole plausible date, an amount one number (not a range). A value that fails is
not read at all: a wrong value with a confidence is worse than none. Some labels hold several
values (`Asset ID: VIN … (2021 Honda Accord)`): they give one reading per value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from services.docextract import vehicles
from services.docextract import vin as vins
from services.docextract.formats import parse_date, parse_money, parse_phone, parse_time
from services.docextract.values import clean_text, is_blank
from services.docextract.vocabulary import heading_party, meaning_of

NAME_PARTICLES = frozenset(
    {
        "de",
        "la",
        "le",
        "du",
        "des",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "dos",
        "bin",
        "al",
        "y",
        "e",
        "zu",
        "ten",
        "ter",
    }
)
FORM_WORDS = frozenset(
    {
        "policy",
        "insurer",
        "insurance",
        "number",
        "no",
        "address",
        "phone",
        "email",
        "e-mail",
        "date",
        "claim",
        "vehicle",
        "report",
        "police",
        "details",
        "information",
        "party",
        "name",
        "agency",
        "form",
        "page",
        "total",
        "amount",
        "signature",
        "description",
        "location",
    }
)
UNCERTAIN_DATE_FACTOR = 0.6  # 03/04/2026 on a document that does not say which order it writes
CUT_OFF_KINDS = frozenset({"loss_place", "address", "name", "insurer", "police_authority"})
CUT_OFF_FACTOR = 0.8  # a text value that stops mid-phrase was printed on, somewhere we did not join
_CUT_OFF = re.compile(r"(?i)(?:[,;/&-]|\b(?:at|and|of|the|de|du|des|la|le|und|der|von|im|am|an))\s*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REFERENCE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9/._#-]*(?:\s[A-Z0-9/._#-]+){0,3}$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.-]*$")
_TIME_IN_TEXT = re.compile(r"(?i)\b(\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)(?![\w])")
_NO_INJURY = re.compile(
    r"(?i)\b(?:no(?:body| one)? (?:was |were )?(?:injur|hurt)|no injur|without injur|"
    r"aucun bless|personne n'a été bless|sans bless|keine verletz|niemand (?:wurde )?verletzt)"
)
_MARKED = re.compile(r"(?:[☒☑✔✓■✗✘]|\[\s*[xX✓]\s*\]|\(\s*[xX]\s*\))\s*([A-Za-zÀ-ÿ]+)")
_BOX = re.compile(r"[☐□❏]|\[\s*\]|\(\s*\)")
_INJURY = re.compile(r"(?i)\b(?:injur|hurt|whiplash|concussion|fracture|ambulance|hospitali[sz]ed|bless|verletz)")


@dataclass(frozen=True)
class DocumentContext:
    """What a document says about its own conventions: date order, country, currency."""

    doc_type: str
    day_first: bool | None
    region: str | None
    currency: str | None
    police_named: bool = False  # the document mentions the police: a bare `Report Number` is theirs
    vehicle_named: bool = True  # the document names a vehicle: a bill's `Model:` may be a car's


Reading = tuple[str, str, float]  # (kind read, canonical value, confidence factor)
Reader = Callable[[str, "DocumentContext"], list[Reading]]


def read_value(kind: str, raw: str, context: DocumentContext) -> list[Reading]:
    """The values a labelled raw text holds for its kind; empty when it holds none of that kind."""
    text = clean_text(raw)
    if not text or (is_blank(text) and kind != "injuries") or text.endswith(":") or _is_a_label(text):
        return []  # nothing, or a label printed where the value should be (an empty form's next label)
    reader = _READERS.get(kind)
    if reader is None:
        return [(kind, text, 1.0)]
    if kind in CUT_OFF_KINDS and _CUT_OFF.search(text):  # `Kastanienallee 85,` / `Smith &`: the rest is elsewhere
        read = reader(text, context)
        return [(name, value.rstrip(" ,;/&-"), factor * CUT_OFF_FACTOR) for name, value, factor in read]
    return reader(text, context)


def _is_a_label(text: str) -> bool:
    """`REPORT NUMBER`: a label of two words or more, word for word."""
    found = meaning_of(text) if len(text.split()) >= 2 else None
    return found is not None and found[1] == 1.0 and found[0][1] is not None


def _reference(kind: str) -> Reader:
    def read(text: str, context: DocumentContext) -> list[Reading]:
        value = re.sub(r"^(?:#|No\.?|Nr\.?|N°)\s*", "", text).strip(" .")
        if "©" in value or "(c)" in value.casefold() or parse_date(value, day_first=True):
            return []
        if any(re.fullmatch(r"[a-zà-ÿ]{2,}", token) for token in value.split()):
            return []  # `90 days with receipt`: words, not a reference
        return [(kind, value, 1.0)] if _REFERENCE.match(value) and 3 <= len(value) <= 30 else []

    return read


def _name(text: str, context: DocumentContext) -> list[Reading]:
    value = re.sub(r"\(.*?\)", " ", text)
    value = re.split(r"\s[-–]\s|,|;|/", value)[0].strip()
    words = value.split()
    if not 1 <= len(words) <= 5 or not all(_NAME_WORD.match(w) for w in words) or not value[0].isupper():
        return []
    if any(w[0].islower() and w.casefold() not in NAME_PARTICLES for w in words):
        return []  # `Complete structural loss`: words, not a name
    if meaning_of(value) or heading_party(value)[0] or any(w.casefold() in FORM_WORDS for w in words):
        return []  # a label or a heading printed where a name was expected
    return [("name", " ".join(words), 1.0 if len(words) >= 2 else 0.85)]


def _phone(text: str, context: DocumentContext) -> list[Reading]:
    phone = parse_phone(text, region=context.region)
    return [("phone", phone, 1.0)] if phone else []


def _email(text: str, context: DocumentContext) -> list[Reading]:
    if " @" in text or "@ " in text or re.fullmatch(r"\S+@\S+[a-z.] [a-z0-9][a-z0-9.-]{0,11}", text.strip()):
        text = text.replace(" ", "")  # `julien.rousseau@example.c` / `om`: an address wrapped in its cell
    found = _EMAIL.search(text)
    if not found:
        return []
    email = found.group().lower()
    # `…@example.co` is most often `.co.uk` or `.co.in` cut at a line's end; a one-letter ending is surely cut
    return [("email", email, CUT_OFF_FACTOR if re.search(r"\.(?:co|com?\.[a-z]|[a-z])$", email) else 1.0)]


def _place(kind: str) -> Reader:
    def read(text: str, context: DocumentContext) -> list[Reading]:
        words = text.split()
        if not 1 <= len(words) <= 20 or not re.search(r"[A-Za-zÀ-ÿ]{2}", text) or parse_date(text, day_first=True):
            return []
        return [(kind, text, 1.0 if ("," in text or re.search(r"\d", text)) else 0.85)]

    return read


def _description(text: str, context: DocumentContext) -> list[Reading]:
    readings: list[Reading] = [("description", text, 1.0)] if len(text.split()) >= 2 else []
    time = _TIME_IN_TEXT.search(text)
    if time and parse_time(time.group(1)):
        readings.append(("loss_time", parse_time(time.group(1)) or "", 0.8))
    if _NO_INJURY.search(text):
        readings.append(("injuries", "none", 0.8))
    elif _INJURY.search(text):
        sentence = next(s for s in re.split(r"(?<=[.!?])\s+", text) if _INJURY.search(s))
        readings.append(("injuries", sentence.strip(), 0.75))
    return readings


def _injury_statement(text: str, context: DocumentContext) -> list[Reading]:
    """`Nobody was injured.` / `I was injured and saw a doctor`: whether the sentence says someone was hurt."""
    if _NO_INJURY.search(text):
        return [("injuries", "none", 1.0)]
    return [("injuries", text, 1.0)] if _INJURY.search(text) else []


def _loss_date(text: str, context: DocumentContext) -> list[Reading]:
    parsed = parse_date(text, day_first=context.day_first)
    if parsed is None:
        return []
    return [("loss_date", parsed[0].isoformat(), 1.0 if parsed[1] else UNCERTAIN_DATE_FACTOR)]


def _loss_time(text: str, context: DocumentContext) -> list[Reading]:
    time = parse_time(text)
    if time is None:
        found = _TIME_IN_TEXT.search(text)
        time = parse_time(found.group(1)) if found else None
        return [("loss_time", time, 0.9)] if time else []
    return [("loss_time", time, 1.0)]


def _money(kind: str) -> Reader:
    def read(text: str, context: DocumentContext) -> list[Reading]:
        money = parse_money(text)
        if money is None:
            return []
        readings: list[Reading] = [(kind, f"{money.amount:.2f}", 1.0)]
        if money.currency:
            readings.append(("currency", money.currency, 1.0))
        return readings

    return read


def _vehicle(text: str, context: DocumentContext) -> list[Reading]:
    return [(name, value, 0.95) for name, value in vehicles.describe(text).items()]


def _asset(text: str, context: DocumentContext) -> list[Reading]:
    readings = _vehicle(text, context)
    if not any(name == "vehicle_vin" for name, _, _ in readings):
        plate = vehicles.plate(re.sub(r"\(.*?\)", "", text).strip())
        readings += [("vehicle_plate", plate, 0.9)] if plate else []
    return readings


def _vin(text: str, context: DocumentContext) -> list[Reading]:
    vin = vins.normalize_vin(text)
    if not vins.is_well_formed(vin):
        return []
    valid = vins.check_digit_valid(vin) or not vins.check_digit_mandatory(vin)
    return [("vehicle_vin", vin, 1.0 if valid else 0.3)]


def _year(text: str, context: DocumentContext) -> list[Reading]:
    return [("vehicle_year", text, 1.0)] if re.fullmatch(r"19[5-9]\d|20\d\d", text) else []


def _make(text: str, context: DocumentContext) -> list[Reading]:
    make = vehicles.make_in(text)
    if make:
        return [("vehicle_make", make, 1.0)]
    return [("vehicle_make", text, 0.85)] if re.fullmatch(r"[A-Za-z][A-Za-z -]{1,20}", text) else []


def _model(text: str, context: DocumentContext) -> list[Reading]:
    readable = re.search(r"[A-Za-z]", text) or re.fullmatch(r"\d{2,4}", text)  # a Mazda 626, a Porsche 911
    return [("vehicle_model", text, 1.0)] if len(text.split()) <= 3 and readable else []


def _plate(text: str, context: DocumentContext) -> list[Reading]:
    plate = vehicles.plate(text)
    return [("vehicle_plate", plate, 1.0)] if plate else []


def _loss_datetime(text: str, context: DocumentContext) -> list[Reading]:
    """`03/14/2024 2:35 PM`, `March 14, 2024 at 14:35`: the date and the time of one label."""
    time = _TIME_IN_TEXT.search(text)
    date_text = (text[: time.start()] + text[time.end() :]) if time else text
    readings = _loss_date(re.sub(r"(?i)\b(?:at|um|à)\b", " ", date_text).strip(" ,-/"), context)
    return readings + (_loss_time(time.group(1), context) if time else [])


def _checked(text: str) -> str | None:
    """The option a printed check box marks: `☒ Yes ☐ No` -> `Yes`; '' when boxes are printed but none is marked."""
    marked = _MARKED.search(text)
    if marked:
        return marked.group(1)
    return "" if _BOX.search(text) else None


def _injuries(text: str, context: DocumentContext) -> list[Reading]:
    option = _checked(text)
    if option == "":
        return []
    text = option or text
    lowered = text.casefold().strip(" .")
    if is_blank(text) or lowered in ("no", "n", "non", "nein", "none reported", "no injuries"):
        return [("injuries", "none", 1.0)]
    if lowered in ("yes", "y", "oui", "ja", "x"):
        return [("injuries", "yes", 1.0)]
    return [("injuries", text, 1.0)]


def _short_text(kind: str, max_words: int) -> Reader:
    def read(text: str, context: DocumentContext) -> list[Reading]:
        return [(kind, text, 1.0)] if len(text.split()) <= max_words and re.search(r"[A-Za-z]{2}", text) else []

    return read


def _currency(text: str, context: DocumentContext) -> list[Reading]:
    code = text.strip().upper()[:3]
    return [("currency", code, 1.0)] if re.fullmatch(r"[A-Z]{3}", code) else []


_READERS: dict[str, Reader] = {
    "policy_number": _reference("policy_number"),
    "claim_number": _reference("claim_number"),
    "police_report_number": _reference("police_report_number"),
    "report_number": _reference("report_number"),
    "name": _name,
    "phone": _phone,
    "email": _email,
    "address": _place("address"),
    "loss_place": _place("loss_place"),
    "description": _description,
    "loss_date": _loss_date,
    "loss_datetime": _loss_datetime,
    "loss_time": _loss_time,
    "total": _money("total"),
    "estimate": _money("estimate"),
    "vehicle": _vehicle,
    "asset": _asset,
    "vehicle_vin": _vin,
    "vehicle_year": _year,
    "vehicle_make": _make,
    "vehicle_model": _model,
    "vehicle_plate": _plate,
    "injuries": _injuries,
    "insurer": _short_text("insurer", 8),
    "police_authority": _short_text("police_authority", 10),
    "currency": _currency,
    "injury_statement": _injury_statement,
    "time": lambda text, context: [("time", value, factor) for _, value, factor in _loss_time(text, context)],
}
