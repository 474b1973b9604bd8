"""A vehicle as people write it: `2021 Honda Accord`, `VIN 1HGBH41JXMN109186 (2021 Honda Accord)`, a plate."""

from __future__ import annotations

import re

from services.docextract import vin as vins

MAKES = (
    "Acura",
    "Accura",
    "Alfa Romeo",
    "Aston Martin",
    "Audi",
    "Bajaj",
    "Bentley",
    "BMW",
    "Buick",
    "BYD",
    "Cadillac",
    "Chevrolet",
    "Chevy",
    "Chrysler",
    "Citroën",
    "Citroen",
    "Cupra",
    "Dacia",
    "Daewoo",
    "Daihatsu",
    "Dodge",
    "DS",
    "Ferrari",
    "Fiat",
    "Ford",
    "Genesis",
    "GMC",
    "Holden",
    "Honda",
    "Hero",
    "Hummer",
    "Hyundai",
    "Infiniti",
    "Isuzu",
    "Jaguar",
    "Jeep",
    "Kia",
    "Lada",
    "Lamborghini",
    "Lancia",
    "Land Rover",
    "Lexus",
    "Lincoln",
    "Mahindra",
    "Mercury",
    "Maruti",
    "Maruti Suzuki",
    "Maserati",
    "Mazda",
    "Mercedes",
    "Mercedes-Benz",
    "Mini",
    "Mitsubishi",
    "Nissan",
    "Oldsmobile",
    "Opel",
    "Peugeot",
    "Plymouth",
    "Polestar",
    "Pontiac",
    "Porsche",
    "Ram",
    "Saturn",
    "Scion",
    "Renault",
    "Rivian",
    "Rover",
    "Saab",
    "Seat",
    "Skoda",
    "Škoda",
    "Smart",
    "Subaru",
    "Suzuki",
    "Tata",
    "Tesla",
    "Toyota",
    "Vauxhall",
    "Volkswagen",
    "VW",
    "Volvo",
)
_MAKE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(m) for m in MAKES), key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
_DURATION = re.compile(r"(?i)\b(?:weeks?|days?|months?|years?|hours?|hrs|mins?|miles|km|sq|ft)\b")
_PLATE = re.compile(r"^(?=.*\d)(?=.*[A-Z])[A-Z0-9]{2,10}$")


def make_in(text: str) -> str | None:
    """The make a text names, spelled as we list it."""
    match = _MAKE.search(text)
    if not match:
        return None
    return next(make for make in MAKES if make.casefold() == match.group(1).casefold())


def describe(text: str) -> dict[str, str]:
    """Year, make, model and VIN printed in one value; only what is there."""
    found: dict[str, str] = {}
    vin = _VIN.search(text.upper())
    if vin and vins.is_well_formed(vin.group()):
        found["vehicle_vin"] = vin.group()
    year = _YEAR.search(text)
    if year:
        found["vehicle_year"] = year.group()
    make = _MAKE.search(text)
    if make:
        found["vehicle_make"] = make_in(make.group()) or make.group()
        model = re.match(r"\s*([A-Z0-9][\w-]*(?:\s+[A-Z0-9][\w-]*)?)", text[make.end() :])
        if model and not _YEAR.fullmatch(model.group(1)) and not _VIN.fullmatch(model.group(1).upper()):
            found["vehicle_model"] = model.group(1).split()[0] if _trim_trim(model.group(1)) else model.group(1)
    return found


def _trim_trim(model: str) -> bool:
    """`Accord LX` is an Accord: the base model is the first word when the second is a trim or a body style."""
    words = model.split()
    return len(words) > 1 and (
        words[1].isupper()
        or words[1].casefold() in {"sedan", "coupe", "hatchback", "wagon", "suv", "van", "pickup", "estate"}
    )


def plate(text: str) -> str | None:
    """A licence plate: letters and digits, 2 to 10 of them, spaces and dashes aside."""
    compact = re.sub(r"[\s-]", "", text.upper())
    if _DURATION.search(text) or len(text.split()) > 3 or not _PLATE.match(compact):
        return None
    return text.strip().upper()
