"""How amounts, dates and times are printed in each country, and what they mean.

Every printer returns the text as it appears on the page; the truth (a plain number, an ISO
date, a 24-hour time) is kept by the caller, never parsed back from the text.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

MoneyStyle = Literal["symbol", "code", "rs", "code_after", "bare"]
Grouping = Literal["western", "indian", "german", "french"]
DateStyle = Literal[
    "iso", "mdy", "dmy", "dmy_dot", "dmy_dash", "d_mon_y", "d_month_y", "month_d_y", "de_long", "fr_long"
]
TimeStyle = Literal["24h", "12h", "12h_lower", "de", "fr"]

SYMBOLS = {"USD": "$", "CAD": "C$", "GBP": "£", "EUR": "€", "INR": "₹"}
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}


def _group(digits: str, grouping: Grouping) -> str:
    if grouping == "indian" and len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        pairs = [head[max(0, end - 2) : end] for end in range(len(head), 0, -2)][::-1]
        return ",".join([*pairs, tail])
    separator = {"western": ",", "indian": ",", "german": ".", "french": "\u00a0"}[grouping]
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)][::-1]
    return separator.join(groups)


def number(amount: float, grouping: Grouping, *, decimals: int = 2) -> str:
    """`amount` with the country's thousands grouping and decimal mark: 3,50,000.00 or 1.234,56."""
    whole, _, cents = f"{amount:.{decimals}f}".partition(".")
    grouped = _group(whole, grouping)
    if not decimals:
        return grouped
    return f"{grouped}{',' if grouping in ('german', 'french') else '.'}{cents}"


def money(amount: float, currency: str, style: MoneyStyle, grouping: Grouping, *, decimals: int = 2) -> str:
    """An amount as printed: '$1,234.56', 'INR 3,50,000', 'Rs. 18,000', '1.234,56 €', 'EUR 1.234,56'."""
    figures = number(amount, grouping, decimals=decimals)
    symbol = SYMBOLS[currency]
    if style == "bare":
        return figures
    if style == "rs":
        return f"Rs. {figures}"
    if style == "code":
        return f"{currency} {figures}"
    if style == "code_after":
        return f"{figures} {currency}"
    if grouping in ("german", "french"):
        return f"{figures}\u00a0{symbol}" if grouping == "french" else f"{figures} {symbol}"
    return f"{symbol}{figures}" if currency != "INR" else f"{symbol} {figures}"


def printed_currency(currency: str, style: MoneyStyle) -> str | None:
    """The currency a reader learns from an amount printed in `style` (none from a bare number)."""
    return None if style == "bare" else currency


def print_date(day: date, style: DateStyle, lang: str = "en") -> str:
    """A date as printed in one of the styles people use."""
    months = MONTHS[lang]
    printers = {
        "iso": lambda: day.isoformat(),
        "mdy": lambda: f"{day.month:02d}/{day.day:02d}/{day.year}",
        "dmy": lambda: f"{day.day:02d}/{day.month:02d}/{day.year}",
        "dmy_dot": lambda: f"{day.day:02d}.{day.month:02d}.{day.year}",
        "dmy_dash": lambda: f"{day.day:02d}-{day.month:02d}-{day.year}",
        "d_mon_y": lambda: f"{day.day:02d}-{MONTHS['en'][day.month - 1][:3]}-{day.year}",
        "d_month_y": lambda: f"{day.day} {months[day.month - 1]} {day.year}",
        "month_d_y": lambda: f"{months[day.month - 1]} {day.day}, {day.year}",
        "de_long": lambda: f"{day.day}. {MONTHS['de'][day.month - 1]} {day.year}",
        "fr_long": lambda: f"{day.day} {MONTHS['fr'][day.month - 1]} {day.year}",
    }
    return printers[style]()


def print_time(moment: time, style: TimeStyle) -> str:
    """A time of day as printed: '14:30', '2:30 PM', '2:30 pm', '14:30 Uhr', '14h30'."""
    hour12 = moment.hour % 12 or 12
    suffix = "AM" if moment.hour < 12 else "PM"
    printers = {
        "24h": f"{moment.hour:02d}:{moment.minute:02d}",
        "12h": f"{hour12}:{moment.minute:02d} {suffix}",
        "12h_lower": f"{hour12}:{moment.minute:02d} {suffix.lower()}",
        "de": f"{moment.hour:02d}:{moment.minute:02d} Uhr",
        "fr": f"{moment.hour}h{moment.minute:02d}",
    }
    return printers[style]


def truth_amount(amount: float) -> float | int:
    """An amount for a truth file: a whole number stays an integer."""
    rounded = round(amount, 2)
    return int(rounded) if rounded == int(rounded) else rounded
