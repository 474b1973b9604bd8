"""Reading printed values into canonical strings: ISO dates, 24-hour times, plain decimal amounts."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from services.docextract import vin as vins

BLANKS = frozenset({"", "-", "--", "n/a", "na", "none", "nil", "unknown", "not applicable"})
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%d.%m.%Y")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?$")
_CURRENCY = re.compile(r"(?i)[$€£]|\b(?:USD|EUR|GBP|CAD|CHF)\b")
_YEAR = re.compile(r"^(19[5-9]\d|20\d\d|2100)$")

Normalized = tuple[str, bool]  # (canonical value, whether it parsed)


def clean_text(raw: str) -> str:
    """One line, single spaces: how form values and wrapped text lines compare."""
    return " ".join(raw.split())


def is_blank(raw: str) -> bool:
    return clean_text(raw).lower().rstrip(".") in BLANKS


def parse_date(raw: str, *, day_first: bool) -> date | None:
    """A printed date; numeric day/month order follows the claim's country (day_first outside the US)."""
    text = clean_text(raw).replace(" ,", ",")
    numeric = _NUMERIC_DATE.match(text)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        year += 2000 if year < 100 else 0
        day, month = (first, second) if day_first else (second, first)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_time(raw: str) -> str | None:
    """`02:35 PM`, `14:35`, `14h35` -> `14:35`."""
    match = _TIME.match(clean_text(raw))
    if not match:
        return None
    hour, minute, meridiem = int(match[1]), int(match[2]), (match[3] or "").replace(".", "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


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


def normalize(name: str, raw: str, *, day_first: bool) -> Normalized:
    """The canonical form of an extracted field's value, and whether the printed value made sense."""
    text = clean_text(raw)
    if name == "loss_date":
        parsed = parse_date(text, day_first=day_first)
        return (parsed.isoformat(), True) if parsed else (text, False)
    if name == "loss_time":
        time = parse_time(text)
        return (time, True) if time else (text, False)
    if name in ("estimate_total", "invoice_total"):
        amount = parse_amount(text)
        return (f"{amount:.2f}", True) if amount is not None else (text, False)
    if name == "vehicle_year":
        return (text, True) if _YEAR.match(text) else (text, False)
    if name == "vehicle_vin":
        vin = vins.normalize_vin(text)
        return vin, vins.is_well_formed(vin)
    if name == "claimant_email":  # OCR splits addresses at their dots and @
        return re.sub(r"\s", "", text), "@" in text
    if name == "injuries" and is_blank(text):
        return "none", True
    return text, True
