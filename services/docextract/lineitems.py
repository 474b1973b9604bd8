"""The rows of an estimate, invoice or bill: description, amount, and quantity and unit price when printed.

Rows are read from the page's placed words grouped by height, not from its text lines: OCR
puts a right-aligned amount column in a block of its own, far from the descriptions it
belongs to. A table starts at a header naming a description and an amount column and ends
at the grand total; a subtotal is skipped, taxes and fees count as rows, so the rows add
up to the printed total. A quantity that is not read (OCR drops a lone number in a sparse
column) is amount / unit price when that is a whole number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from services.core.events.case import LineItem
from services.docextract.content import DocumentContent, PageText, PlacedWord
from services.docextract.positions import to_box, union
from services.docextract.values import parse_amount
from services.docextract.vocabulary import label_key

COSTED_TYPES = frozenset({"repair_estimate", "invoice", "medical_bill"})
DESCRIPTION_HEADERS = frozenset({"description", "item", "service", "services", "part", "operation"})
AMOUNT_HEADERS = frozenset({"amount", "charge", "charges", "total", "cost", "extended", "price"})
QUANTITY_HEADERS = frozenset({"qty", "quantity", "hours", "hrs", "units"})
UNIT_PRICE_HEADERS = frozenset({"unitprice", "rate", "priceeach", "unitcost", "each"})
LEAD_HEADERS = frozenset({"line", "cpt", "code", "no", "#", "ln", "item"})
TOTAL_LABELS = frozenset(
    label_key(label)
    for label in (
        "Total",
        "Grand Total",
        "Total Amount",
        "Estimate Total",
        "Total Estimate",
        "Amount Due",
        "Balance Due",
        "Total Due",
        "Invoice Total",
    )
)
SUBTOTAL_LABELS = frozenset({"subtotal", "subtotals"})
MAX_HEADER_WORDS = 8
MAX_GAP_ROWS = 3  # rows that are no item (a wrapped description, a note) before the table is taken as ended
_MONEY = re.compile(r"^[$€£]?\d[\d.,\s]*[.,]\d{2}$")
_QUANTITY = re.compile(r"^\d+(?:[.,]\d+)?$")
_LEAD_CODE = re.compile(r"^(?=.*\d)[A-Z0-9.#-]{1,10}$", re.IGNORECASE)


def read_line_items(document: DocumentContent) -> list[LineItem]:
    """Every item row of every table in the document, in printed order; a table may run on over pages."""
    table = _Table()
    return [item for page in document.pages for row in word_rows(page.words) if (item := table.read(row, page))]


def word_rows(words: Sequence[PlacedWord]) -> list[list[PlacedWord]]:
    """Words grouped into printed rows by their vertical middle, top to bottom, each left to right."""
    rows: list[list[PlacedWord]] = []
    for word in sorted(words, key=lambda w: (w.rect[1] + w.rect[3]) / 2):
        middle, height = (word.rect[1] + word.rect[3]) / 2, word.rect[3] - word.rect[1]
        if rows and abs(middle - (rows[-1][0].rect[1] + rows[-1][0].rect[3]) / 2) < 0.6 * max(height, 1.0):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.rect[0]) for row in rows]


class _Table:
    """Where reading stands: inside a table (its header's column keys) or not, and rows since the last item."""

    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.gap = 0

    def read(self, row: list[PlacedWord], page: PageText) -> LineItem | None:
        """The item this row holds, if it is one; a header opens a table, the grand total closes it."""
        keys = [label_key(word.text) for word in row]
        if _is_header(keys):
            self.header, self.gap = keys, 0
            return None
        if self.header is None:
            return None
        label = _row_label(keys)
        if label in TOTAL_LABELS:
            self.header = None
            return None
        item = None if label in SUBTOTAL_LABELS else _item(row, self.header, page)
        self.gap = 0 if item is not None else self.gap + 1
        if self.gap > MAX_GAP_ROWS:
            self.header = None
        return item


def _is_header(keys: list[str]) -> bool:
    present = set(keys)
    return len(keys) <= MAX_HEADER_WORDS and bool(present & DESCRIPTION_HEADERS) and bool(present & AMOUNT_HEADERS)


def _row_label(keys: list[str]) -> str:
    """The total or subtotal label a row starts with (`Estimate Total:` -> `estimatetotal`), or ""."""
    for words in range(1, 4):
        label = "".join(keys[:words])
        if label in TOTAL_LABELS or label in SUBTOTAL_LABELS:
            return label
    return ""


def _item(row: list[PlacedWord], header: list[str], page: PageText) -> LineItem | None:
    texts = [word.text for word in row]
    if len(texts) < 2 or not _MONEY.match(texts[-1]):
        return None
    amount = parse_amount(texts[-1])
    if amount is None:
        return None
    body, quantity, unit_price = texts[:-1], None, None
    if _has_unit_price(header) and len(body) >= 2 and _MONEY.match(body[-1]):
        unit_price, body = parse_amount(body[-1]), body[:-1]
        printed = _quantity(body[-1]) if _has(header, QUANTITY_HEADERS) and len(body) >= 2 else None
        if printed is not None:
            quantity, body = printed, body[:-1]
        elif unit_price:  # Tesseract drops a lone number in a sparse column now and then
            quantity = _whole(amount / unit_price)
    if header[0] in LEAD_HEADERS and len(body) >= 2 and _LEAD_CODE.match(body[0]):
        body = body[1:]
    description = " ".join(body).strip()
    if not description:
        return None
    return LineItem(
        description=description,
        amount=amount,
        quantity=quantity,
        unit_price=unit_price,
        page=page.number,
        box=to_box(union([word.rect for word in row]), page),
    )


def _has(header: list[str], names: frozenset[str]) -> bool:
    return any(key in names for key in header)


def _has_unit_price(header: list[str]) -> bool:
    pairs = {a + b for a, b in zip(header, header[1:], strict=False)}
    return _has(header, UNIT_PRICE_HEADERS) or bool(pairs & UNIT_PRICE_HEADERS)


def _whole(quotient: Decimal) -> Decimal | None:
    return quotient.quantize(Decimal(1)) if quotient == quotient.to_integral_value() else None


def _quantity(text: str) -> Decimal | None:
    if not _QUANTITY.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
