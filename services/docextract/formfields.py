"""Filled form fields as labelled values: by their names when they say what they hold, else by the label
printed nearest their widget.

Official forms are often made with generic field names (`Text7`, `Check Box6`): the name says
nothing, the page says it all. Such a widget takes the printed label left of it on its line,
else the one just above it, else (for check boxes, whose label usually follows) right of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from services.docextract.content import DocumentContent, FormValue, Rect
from services.docextract.layout import Line, Segment
from services.docextract.pairing import Pair, line_parties
from services.docextract.vocabulary import Meaning, form_field_meaning, meaning_of

CHECKED = frozenset({"yes", "on", "x", "1", "true", "checked", "oui", "ja"})
UNCHECKED = frozenset({"off", "no", "0", "false", "unchecked"})
ABOVE_PT = 30.0  # a label above its widget sits within this distance
OPTION_PT = 40.0  # a check box's option is printed within this distance right of it


def form_pairs(document: DocumentContent, lines: Sequence[Line]) -> Iterator[Pair]:
    """A pair for every filled field whose meaning its name or its printed label gives."""
    if not document.form_values:
        return  # most documents are no forms: their sections are not worked out twice
    parties = line_parties(lines, default_party="claimant")
    on_page: dict[int, list[int]] = {}  # a widget's label is looked for among its own page's lines only
    for index, line in enumerate(lines):
        on_page.setdefault(line.page, []).append(index)
    for value in document.form_values:
        named = form_field_meaning(value.name)
        if named is not None:
            yield Pair(
                named[1] or "", named[0], value.value, value.page, value.rect, "form", 1.0, "text_layer", value.name
            )
            continue
        found = _nearest_label(value, lines, on_page.get(value.page, [])) if value.rect is not None else None
        if found is None:
            continue
        (party, kind), score, index, label, option = found
        if kind is None:
            continue
        party = party or _party_at(parties[index], value.rect[0] if value.rect else 0.0)
        raw = _checkbox_value(kind, value.value, option)
        if raw is not None:
            yield Pair(kind, party, raw, value.page, value.rect, "form_label", score, "text_layer", label)


def _party_at(columns: list[tuple[float, str | None]], x0: float) -> str | None:
    return next(party for left, party in reversed(columns) if x0 >= left)


def _checkbox_value(kind: str, value: str, option: str | None) -> str | None:
    """A check box says yes or no; only a kind that is a yes/no question takes it, by the option it marks."""
    lowered = value.casefold().lstrip("/")
    if lowered not in CHECKED | UNCHECKED:
        return value
    if kind != "injuries" or lowered in UNCHECKED:
        return None  # an empty box says nothing: its neighbour may be the one ticked
    return option or "yes"


def _nearest_label(
    value: FormValue, lines: Sequence[Line], page_lines: Sequence[int]
) -> tuple[Meaning, float, int, str, str | None] | None:
    """The printed label of a widget: left of it on its row, else just above it; and a check box's option."""
    assert value.rect is not None
    checkbox = value.value.casefold().lstrip("/") in CHECKED | UNCHECKED
    row = [
        (index, segment)
        for index in page_lines
        for segment in lines[index].segments
        if _same_row(segment.rect, value.rect)
    ]
    option = _option(row, value.rect) if checkbox else None
    left = sorted((item for item in row if item[1].x1 <= value.rect[0] + 2), key=lambda item: -item[1].x1)
    for index, segment in left:
        found = meaning_of(segment.text.rstrip(":").strip())
        if found:
            return found[0], found[1], index, segment.text, option
        if not checkbox:
            break  # the nearest text left of a field is its label, or the field has none there
    return _label_above(value, lines, page_lines, option)


def _label_above(
    value: FormValue, lines: Sequence[Line], page_lines: Sequence[int], option: str | None
) -> tuple[Meaning, float, int, str, str | None] | None:
    assert value.rect is not None
    x0, top, x1, _ = value.rect
    for index in reversed(page_lines):
        line = lines[index]
        if line.bottom > top + 2 or top - line.bottom > ABOVE_PT:
            continue
        for segment in line.segments:
            found = meaning_of(segment.text.rstrip(":").strip())
            if found and segment.x0 < x1 and segment.x1 > x0 - 10:
                return found[0], found[1], index, segment.text, option
    return None


def _same_row(rect: Rect, widget: Rect) -> bool:
    middle = (widget[1] + widget[3]) / 2
    return rect[1] - 3 <= middle <= rect[3] + 3


def _option(row: Sequence[tuple[int, Segment]], rect: Rect) -> str | None:
    """The word printed just right of a check box: `Yes`, `No`, `Oui`, `Nein`."""
    right = [segment for _, segment in row if rect[2] - 2 <= segment.x0 <= rect[2] + OPTION_PT]
    return min(right, key=lambda segment: segment.x0).words[0].text if right else None
