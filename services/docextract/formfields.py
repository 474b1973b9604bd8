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
NEAR_PT = 120.0  # a label further than this from its widget is some other field's


def form_pairs(document: DocumentContent, lines: Sequence[Line]) -> Iterator[Pair]:
    """A pair for every filled field whose meaning its name or its printed label gives."""
    parties = line_parties(lines, default_party="claimant")
    for value in document.form_values:
        named = form_field_meaning(value.name)
        if named is not None:
            yield Pair(named[1] or "", named[0], value.value, value.page, value.rect, "form", 1.0, "text_layer",
                       value.name)
            continue
        found = _nearest_label(value, lines) if value.rect is not None else None
        if found is None:
            continue
        (party, kind), score, index, label = found
        if kind is None:
            continue
        party = party or _party_at(parties[index], value.rect[0] if value.rect else 0.0)
        raw = _checkbox_value(kind, value.value)
        if raw is not None:
            yield Pair(kind, party, raw, value.page, value.rect, "form_label", score, "text_layer", label)


def _party_at(columns: list[tuple[float, str | None]], x0: float) -> str | None:
    return next(party for left, party in reversed(columns) if x0 >= left)


def _checkbox_value(kind: str, value: str) -> str | None:
    """A check box says yes or no; only a kind that is a yes/no question takes it."""
    lowered = value.casefold().lstrip("/")
    if lowered in CHECKED | UNCHECKED:
        if kind != "injuries":
            return None
        return "yes" if lowered in CHECKED else "none"
    return value


def _nearest_label(value: FormValue, lines: Sequence[Line]) -> tuple[Meaning, float, int, str] | None:
    assert value.rect is not None
    best: tuple[float, tuple[Meaning, float, int, str]] | None = None
    for index, line in enumerate(lines):
        if line.page != value.page:
            continue
        for segment in line.segments:
            checkbox = value.value.casefold().lstrip("/") in CHECKED | UNCHECKED
            distance = _distance(segment, value.rect, checkbox=checkbox)
            if distance is None or (best is not None and distance >= best[0]):
                continue
            found = meaning_of(segment.text.rstrip(":").strip())
            if found:
                best = distance, (found[0], found[1], index, segment.text)
    return best[1] if best else None


def _distance(segment: Segment, rect: Rect, *, checkbox: bool) -> float | None:
    """How far a printed segment is from a widget, if it is where a label of that widget would be."""
    x0, top, x1, bottom = rect
    s_x0, s_top, s_x1, s_bottom = segment.rect
    middle = (top + bottom) / 2
    same_row = s_top - 3 <= middle <= s_bottom + 3
    if same_row and s_x1 <= x0 + 2 and x0 - s_x1 <= NEAR_PT:
        return x0 - s_x1
    if s_bottom <= top + 2 and top - s_bottom <= 30 and s_x0 < x1 and s_x1 > x0 - 10:
        return (top - s_bottom) + 5
    if checkbox and same_row and s_x0 >= x1 - 2 and s_x0 - x1 <= 40:
        return (s_x0 - x1) + 10
    return None
