"""Vehicle identification numbers: ISO 3779 format and the position-9 check digit."""

from __future__ import annotations

import re

VIN_PATTERN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")  # I, O and Q are never used
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# North American VINs (WMI 1-5) must carry the check digit (49 CFR 565); elsewhere it is optional,
# so a mismatch there proves nothing.
_CHECK_DIGIT_MANDATORY = frozenset("12345")


def normalize_vin(text: str) -> str:
    """Upper case without the spaces and dashes people type into VINs."""
    return re.sub(r"[\s-]", "", text).upper()


def is_well_formed(vin: str) -> bool:
    return bool(VIN_PATTERN.match(vin))


def check_digit(vin: str) -> str:
    """The check digit (position 9) a well-formed VIN should carry: 0-9 or X."""
    remainder = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_mandatory(vin: str) -> bool:
    return vin[:1] in _CHECK_DIGIT_MANDATORY


def check_digit_valid(vin: str) -> bool:
    return is_well_formed(vin) and vin[8] == check_digit(vin)


_NEVER_IN_VINS = str.maketrans({"I": "1", "O": "0", "Q": "0"})


def repair_misread(vin: str) -> str:
    """A VIN as OCR read it, with the misreads a check digit can prove undone.

    I, O and Q are never used in VINs, so they are 1, 0 and 0 misread; one character too many
    (a speck read as a letter) is dropped when exactly one way of dropping it passes the check digit.
    """
    vin = vin.translate(_NEVER_IN_VINS)
    if len(vin) == 18:
        passing = {vin[:i] + vin[i + 1 :] for i in range(18)}
        passing = {candidate for candidate in passing if check_digit_valid(candidate)}
        if len(passing) == 1:
            return passing.pop()
    return vin
