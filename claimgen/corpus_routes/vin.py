"""Vehicle identification numbers with a correct check digit (ISO 3779, North American rule)."""

from __future__ import annotations

import random

_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 is A; the code repeats every 30 years


def check_digit(vin: str) -> str:
    """The ninth character a 17-character VIN must carry."""
    remainder = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def is_valid(vin: str) -> bool:
    """Seventeen allowed characters whose ninth is the check digit."""
    return len(vin) == 17 and all(char in _VALUES for char in vin) and vin[8] == check_digit(vin)


def make_vin(rng: random.Random, wmi: str, year: int) -> str:
    """A VIN for a maker's world manufacturer identifier and a model year."""
    descriptor = "".join(rng.choice(_ALPHABET) for _ in range(5))
    plant = rng.choice("ABCDEFGHKLMNPRSTUVWXYZ")
    serial = f"{rng.randrange(100_000, 1_000_000)}"
    draft = f"{wmi}{descriptor}0{_YEAR_CODES[(year - 2010) % 30]}{plant}{serial}"
    return draft[:8] + check_digit(draft) + draft[9:]
