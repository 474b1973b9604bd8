"""How one document prints things: its wording, date and time formats and money style, drawn
per document from what is usual in its country (and what its producer's fonts can show)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time

from claimgen.corpus_routes import formats
from claimgen.corpus_routes.countries import Country
from claimgen.corpus_routes.labels import LABELS, TITLES
from claimgen.corpus_routes.sheet import Entry, Truth

_DATES: dict[str, tuple[formats.DateStyle, ...]] = {
    "US": ("mdy", "mdy", "month_d_y"),
    "CA": ("iso", "month_d_y", "d_month_y"),
    "GB": ("dmy", "d_month_y", "dmy"),
    "IN": ("dmy", "d_mon_y", "dmy_dash"),
    "DE": ("dmy_dot", "dmy_dot", "de_long"),
    "FR": ("dmy", "fr_long", "dmy"),
}
_TIMES: dict[str, tuple[formats.TimeStyle, ...]] = {
    "US": ("12h", "12h_lower"),
    "CA": ("24h", "12h"),
    "GB": ("24h", "12h_lower"),
    "IN": ("12h", "24h"),
    "DE": ("de", "24h"),
    "FR": ("fr", "fr", "24h"),
}
_MONEY: dict[str, tuple[formats.MoneyStyle, ...]] = {
    "USD": ("symbol", "symbol", "code"),
    "CAD": ("code", "symbol"),
    "GBP": ("symbol", "symbol", "code"),
    "INR": ("symbol", "rs", "code"),
    "EUR": ("symbol", "code", "code_after"),
}


@dataclass(frozen=True)
class Style:
    country: Country
    variant: int
    date_style: formats.DateStyle
    time_style: formats.TimeStyle
    money_style: formats.MoneyStyle

    @property
    def lang(self) -> str:
        return self.country.lang

    def label(self, key: str) -> str:
        wordings = LABELS[self.lang][key]
        return wordings[self.variant % len(wordings)]

    def title(self, fine_type: str) -> str:
        titles = TITLES[self.lang][fine_type]
        return titles[self.variant % len(titles)]

    def date(self, day: date) -> str:
        return formats.print_date(day, self.date_style, self.lang)

    @property
    def date_hint(self) -> str | None:
        """How a form spells out its numeric date format ('DD/MM/YYYY'), if its dates are numeric."""
        hints = {
            "en": {"mdy": "MM/DD/YYYY", "dmy": "DD/MM/YYYY", "dmy_dash": "DD-MM-YYYY"},
            "fr": {"dmy": "JJ/MM/AAAA"},
            "de": {"dmy_dot": "TT.MM.JJJJ"},
        }
        return hints[self.lang].get(self.date_style)

    def time(self, moment: time) -> str:
        return formats.print_time(moment, self.time_style)

    def money(self, amount: float) -> str:
        decimals = 0 if self.country.currency == "INR" and amount == int(amount) and self.variant % 2 else 2
        style = self.money_style
        if style == "symbol" and self.country.lang == "de" and self.variant % 4 == 3:
            style = "code"  # 'EUR 1.234,56' as German invoices often print it
        return formats.money(amount, self.country.currency, style, self.country.grouping, decimals=decimals)

    def yes_no(self, answer: bool) -> str:
        return self.label("yes" if answer else "no")

    def total(self, key: str, field: str, amount: float) -> Entry:
        """A total printed with its amount, stating the total and (if printed) its currency."""
        truth: Truth = ((field, formats.truth_amount(amount)),)
        currency = formats.printed_currency(self.country.currency, self.money_style)
        if currency:
            truth += (("currency", currency),)
        return Entry(self.label(key), self.money(amount), truth)


def draw_style(rng: random.Random, country: Country, *, glyphs: str = "unicode", bare_money: bool = False) -> Style:
    """A document's style. `glyphs`: what its producer can show ('unicode'; 'latin1', no rupee sign;
    'latin1-fields', form fields without a euro sign either); `bare_money`: amounts without currency."""
    money_styles = _MONEY[country.currency]
    if glyphs != "unicode" and country.currency == "INR":
        money_styles = ("rs", "code")
    if glyphs == "latin1-fields" and country.currency == "EUR":
        money_styles = ("code", "code_after")
    money_style: formats.MoneyStyle = "bare" if bare_money else rng.choice(money_styles)
    return Style(
        country, rng.randrange(4), rng.choice(_DATES[country.code]), rng.choice(_TIMES[country.code]), money_style
    )
