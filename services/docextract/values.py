"""Printed text made comparable: one line of single spaces, blanks recognised, amounts in either decimal convention.

Dates, times, currencies and phones: services/docextract/formats.py.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

BLANKS = frozenset({"", "-", "--", "n/a", "na", "none", "nil", "unknown", "not applicable"})
_CURRENCY = re.compile(r"(?i)[$€£₹¥]|Rs\.?|\b(?:USD|EUR|GBP|CAD|CHF|INR|AUD|JPY)\b")


def clean_text(raw: str) -> str:
    """One line, single spaces: how form values and wrapped text lines compare."""
    return " ".join(raw.split())


def is_blank(raw: str) -> bool:
    return clean_text(raw).lower().rstrip(".") in BLANKS


def parse_amount(raw: str) -> Decimal | None:
    """`$1,234.56`, `1.234,56 €`, `EUR 1 234,56` -> Decimal('1234.56')."""
    text = re.sub(r"\s", "", _CURRENCY.sub("", raw))
    if not re.fullmatch(r"\d[\d.,]*", text):
        return None
    separators = [char for char in text if char in ",."]
    decimal_mark = None
    if separators:
        last = separators[-1]
        digits_after = len(text) - text.rfind(last) - 1
        # the last mark is the decimal one, unless it repeats or groups three digits (1,234 or 1.234.567)
        if len(set(separators)) == 2 or (separators.count(last) == 1 and digits_after != 3):
            decimal_mark = last
    whole, _, cents = text.rpartition(decimal_mark) if decimal_mark else (text, "", "")
    text = re.sub(r"[.,]", "", whole) + ("." + cents if decimal_mark else "")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
