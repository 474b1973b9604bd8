"""Tables of priced lines with their subtotal, tax and total, as a country prints them."""

from __future__ import annotations

from claimgen.corpus_routes import formats
from claimgen.corpus_routes.pricelist import PricedLine
from claimgen.corpus_routes.sheet import Entry, Items
from claimgen.corpus_routes.style import Style

COLUMNS = {
    "en": ("Description", "Qty", "Unit Price", "Amount"),
    "fr": ("Désignation", "Qté", "P.U. HT", "Montant HT"),
    "de": ("Bezeichnung", "Menge", "Einzelpreis", "Betrag"),
}
UNITS = {
    "en": {"hr": "hrs", "m2": "sq m", "day": "days", "lot": "lot", "ea": ""},
    "fr": {"hr": "h", "m2": "m²", "day": "j", "lot": "forfait", "ea": ""},
    "de": {"hr": "Std.", "m2": "m²", "day": "Tage", "lot": "pauschal", "ea": "Stk."},
}


def _quantity(style: Style, line: PricedLine) -> str:
    figures = f"{line.quantity:g}"
    if style.lang != "en":
        figures = figures.replace(".", ",")
    unit = UNITS[style.lang][line.unit]
    return f"{figures} {unit}".strip()


def line_rows(style: Style, lines: list[PricedLine]) -> tuple[tuple[str, ...], ...]:
    grouping = style.country.grouping
    return tuple(
        (
            line.description,
            _quantity(style, line),
            formats.number(line.unit_price, grouping),
            formats.number(line.amount, grouping),
        )
        for line in lines
    )


def tax_entries(style: Style, net: float) -> tuple[tuple[Entry, ...], float]:
    """The tax lines under a table (CGST and SGST halves in India) and the tax they add."""
    name, rate = style.country.tax
    if style.country.code == "IN":
        half = round(net * rate / 2, 2)
        return (
            Entry(f"CGST @ {rate * 50:g}%", style.money(half)),
            Entry(f"SGST @ {rate * 50:g}%", style.money(half)),
        ), 2 * half
    tax = round(net * rate, 2)
    percent = f"{rate * 100:g}".replace(".", "," if style.lang != "en" else ".")
    return (Entry(f"{name} {percent} %" if style.lang != "en" else f"{name} ({percent}%)", style.money(tax)),), tax


def priced_items(
    style: Style, lines: list[PricedLine], *, total_key: str, total_field: str, heading: str = "", taxed: bool = True
) -> tuple[Items, float]:
    """The table and its totals; the grand total (tax included) is the stated total."""
    net = round(sum(line.amount for line in lines), 2)
    if not taxed:
        return Items(
            heading, COLUMNS[style.lang], line_rows(style, lines), (style.total(total_key, total_field, net),)
        ), net
    taxes, tax = tax_entries(style, net)
    grand = round(net + tax, 2)
    totals = (Entry(style.label("subtotal"), style.money(net)), *taxes, style.total(total_key, total_field, grand))
    return Items(heading, COLUMNS[style.lang], line_rows(style, lines), totals), grand
