"""Label and value paired by position, and the section (party) each pair sits in.

A value is found where people print it: after `Label:` on the same line, in the next cell to
the right, in the box or line below the label (a label row over a value row, or the first
line of the next page), or after a known label without a colon. A heading sets the party of
the section below it ("Third Party", "Vehicle 2"), across the page or, side by side, for its
column only; a heading we do not know ends the section before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from services.docextract.content import Rect
from services.docextract.labelled import is_label_like, label_only, prefix_label, split_segment
from services.docextract.layout import Line, Segment
from services.docextract.positions import union
from services.docextract.sections import Sections, heading_row, looks_like_heading
from services.docextract.vocabulary import heading_party, label_key

BELOW_LINES = 2.6  # a value below its label starts within this many line heights
CONTINUED_KINDS = frozenset({"description", "injuries"})
PERSONAL_KINDS = frozenset({"phone", "email", "address"})
PLACE_KINDS = frozenset({"loss_place", "address"})
OWNER_LABELS = frozenset({"owner", "ownername", "vehicleowner", "registeredowner", "propertyowner"})
TABLE_HEADERS = frozenset(
    {
        "qty",
        "quantity",
        "description",
        "price",
        "amount",
        "total",
        "unit",
        "rate",
        "cost",
        "item",
        "hours",
        "hrs",
        "part",
        "labor",
        "labour",
        "code",
        "menge",
        "preis",
        "betrag",
        "quantité",
        "prix",
        "montant",
        "désignation",
        "bezeichnung",
        "einzelpreis",
    }
)


@dataclass(frozen=True)
class Pair:
    """A value read for a label: its kind, whose it is (None: the claim's), where, and how it was found."""

    kind: str
    party: str | None
    raw: str
    page: int
    rect: Rect | None
    how: str  # inline, right, below, prefix
    label_score: float
    method: str
    label: str


def _is_table_header(line: Line) -> bool:
    keys = [re.sub(r"[^a-zäöüéè]", "", segment.text.casefold()) for segment in line.segments]
    return len(keys) >= 3 and sum(key in TABLE_HEADERS for key in keys) >= 2


def line_parties(lines: Sequence[Line], *, default_party: str | None) -> list[list[tuple[float, str | None]]]:
    """Per line, the sections in force on it: (left edge, party) for each column."""
    sections, found = Sections(default_party), []
    for i, line in enumerate(lines):
        if _is_heading_line(lines, i, set()):
            sections.heading(line)
        found.append(list(sections.columns))
    return found


def read_pairs(lines: Sequence[Line], *, default_party: str | None) -> list[Pair]:
    """Every label with its value in the document, in reading order, with the party of its section."""
    sections, consumed, pairs = Sections(default_party), set[tuple[int, int]](), list[Pair]()
    page = None
    for i, line in enumerate(lines):
        if line.page != page:
            page = line.page
        if _is_table_header(line) or all((i, j) in consumed for j in range(len(line.segments))):
            continue
        if _is_heading_line(lines, i, consumed) and sections.heading(line):
            continue
        line_pairs = [
            pair
            for j in range(len(line.segments))
            if (i, j) not in consumed
            for pair in _segment_pairs(lines, i, j, sections, consumed)
        ]
        pairs.extend(_same_person(line_pairs, sections))
        _column_headings(line, line_pairs, sections)
    return pairs


def _column_headings(line: Line, line_pairs: Sequence[Pair], sections: Sections) -> None:
    """The last segment of a row, a heading of a party that paired with nothing: its column's section starts."""
    last = line.segments[-1]
    known, party = heading_party(last.text)
    if len(line.segments) > 1 and known and party and not any(pair.label == last.text for pair in line_pairs):
        sections.open_column(last.x0, party)


def _same_person(line_pairs: list[Pair], sections: Sections) -> Iterator[Pair]:
    """`Owner: Maria Gonzalez   Phone: …`: a contact printed beside a person's name on one line is that person's."""
    person: str | None = None
    for pair in line_pairs:
        in_section = pair.party == sections.party_at(pair.rect[0] if pair.rect else 0.0)
        if pair.kind == "name" and not in_section:
            person = pair.party  # the label named whose it is, overriding the section
        elif person and pair.kind in PERSONAL_KINDS and in_section:
            pair = Pair(
                pair.kind, person, pair.raw, pair.page, pair.rect, pair.how, pair.label_score, pair.method, pair.label
            )
        yield pair


def _is_heading_line(lines: Sequence[Line], i: int, consumed: set[tuple[int, int]]) -> bool:
    """No label on the line, or known headings (`VEHICLE 1 | VEHICLE 2`) that are also labels without values."""
    line = lines[i]
    if not any(is_label_like(segment) for segment in line.segments):
        return True
    if ":" in line.text or not heading_row(line):
        return False
    return _value_beside(lines, i, 0, consumed) is None if len(line.segments) == 1 else not _label_row(lines, i)


def _segment_pairs(
    lines: Sequence[Line], i: int, j: int, sections: Sections, consumed: set[tuple[int, int]]
) -> Iterator[Pair]:
    line, segment = lines[i], lines[i].segments[j]
    only = label_only(segment)
    if only is not None and only.score == 1.0:  # `INJURED: NAME, SEVERITY` is one label, colon and all
        pieces = [only]
    else:
        pieces = list(split_segment(segment)[1])
        only = only or prefix_label(segment)
        pieces = pieces or ([only] if only else [])
    for piece in pieces:
        section = sections.party_at(segment.x0)
        party = piece.meaning[0] or section
        if party == "claimant" and section == "other_party" and label_key(piece.label) in OWNER_LABELS:
            party = section  # the owner named in the other vehicle's section is the other party
        if piece.value:
            how = "inline" if piece.colon else "prefix"
            raw, rect, end = " ".join(w.text for w in piece.value), union([w.rect for w in piece.value]), i
        else:
            found = _value_beside(lines, i, j, consumed)
            if found is None:
                continue
            how, (vi, vj) = found
            consumed.add((vi, vj))
            value = lines[vi].segments[vj]
            raw, rect, end = value.text, value.rect, vi
        if piece.meaning[1] is None:  # a label that holds nothing we read: its value is no label either
            continue
        if piece.meaning[1] in CONTINUED_KINDS:
            column = rect[0] if how in ("below", "right") and rect is not None else None
            raw = " ".join([raw, *_continuation(lines, end, consumed, column)])
        elif piece.meaning[1] in PLACE_KINDS and how == "inline" and _runs_on(lines, end, segment):
            raw = f"{raw} {lines[end + 1].text.split('. ')[0].rstrip('.')}"  # `Ort: Kreuzung` / `Lindenstraße, Köln.`
        elif piece.meaning[1] == "email" and rect is not None:
            raw += _address_tail(lines, end, rect, consumed)
        yield Pair(piece.meaning[1], party, raw, lines[end].page, rect, how, piece.score, line.method, piece.label)


def _value_beside(
    lines: Sequence[Line], i: int, j: int, consumed: set[tuple[int, int]]
) -> tuple[str, tuple[int, int]] | None:
    """The cell right of a label, or the segment below it (on the next line or the next page's first).

    A label beside another label is a row of labels over a row of values when every label of
    the line has a value under it; otherwise cells alternate label, value (`Claim Type | Vehicle`).
    """
    line = lines[i]
    right = (i, j + 1) if j + 1 < len(line.segments) and (i, j + 1) not in consumed else None
    if len(line.segments) == 1 or _label_row(lines, i) or _mostly_labels(line):
        below = _below(lines, i, j, consumed)
        return ("below", below) if below is not None and not is_label_like(_segment(lines, below)) else None
    if right is not None and not is_label_like(line.segments[j + 1]):
        return "right", right
    if right is None or j % 2 or line.segments[j + 1].text.endswith(":"):
        return None  # `Patient | Insurer: …`: a label with its colon is nobody's value
    return "right", right


def _segment(lines: Sequence[Line], at: tuple[int, int]) -> Segment:
    return lines[at[0]].segments[at[1]]


def _label_row(lines: Sequence[Line], i: int) -> bool:
    """A row of labels over a row of values: every cell shaped like a label (most of them ones we know) and
    a value printed under each (whether paired yet or not). A row of capitals knowing fewer (`WHERE DID IT
    HAPPEN? | WEATHER | ROAD SURFACE`) is one when no value under it is in capitals too: a form printing its
    labels in capitals over values in lower case, where alternating `NAME | JOHN SMITH` rows are all capitals."""
    segments = lines[i].segments
    known = sum(is_label_like(segment) for segment in segments)
    if len(segments) < 2 or not known or not all(_label_shaped(s) for s in segments):
        return False
    capitals = 2 * known < len(segments)
    if capitals and not all(s.text.isupper() for s in segments):
        return False
    for j in range(len(segments)):
        below = _below(lines, i, j, set())
        if below is None or is_label_like(value := _segment(lines, below)) or (capitals and value.text.isupper()):
            return False
    return True


def _mostly_labels(line: Line) -> bool:
    """A header row even where a cell has no value of its own under it: three cells or more, all shaped like
    labels, most of them ones we know (`DRIVER | CORRESPONDENCE | TEL. | YR.`, its address label wrapped into
    the values' row); alternating label and value cells know at most half, and a label with its colon has its
    value beside it (`Model | Variant: | Creta`)."""
    segments = line.segments
    known = sum(is_label_like(segment) for segment in segments)
    if len(segments) < 3 or 2 * known <= len(segments) or any(s.text.endswith(":") for s in segments):
        return False
    return all(_label_shaped(s) for s in segments)


def _label_shaped(segment: Segment) -> bool:
    """Short, no figures, no sentence: what a column's label looks like, known or not."""
    text = segment.text.rstrip(":")
    return is_label_like(segment) or (
        len(text.split()) <= 4 and not re.search(r"\d", text) and text[:1].isupper() and not text.endswith(".")
    )


def _below(lines: Sequence[Line], i: int, j: int, consumed: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The first segment under a label, within a few lines (or at the top of the next page, past the footer and
    header between)."""
    line, label = lines[i], lines[i].segments[j]
    looked = 0
    for k in range(i + 1, len(lines)):
        below = lines[k]
        if below.page == line.page and below.top - line.bottom > BELOW_LINES * line.height:
            return None  # blank under the label: a footer far down the page does not make it the next page's
        if below.running:
            continue
        if looked == 2:
            return None
        looked += 1
        for m, segment in enumerate(below.segments):
            overlaps = segment.x0 < label.x1 + 2 * line.height and segment.x1 > label.x0 - line.height
            if overlaps and (k, m) not in consumed:
                return k, m
    return None


def _address_tail(lines: Sequence[Line], end: int, rect: Rect, consumed: set[tuple[int, int]]) -> str:
    """`oliver.pemberton@example.co` over `.uk`: an e-mail address broken at a dot goes on under itself."""
    if end + 1 >= len(lines) or lines[end + 1].page != lines[end].page:
        return ""
    below = lines[end + 1]
    if below.top - lines[end].bottom > 0.8 * below.height:
        return ""
    for m, segment in enumerate(below.segments):
        aligned = abs(segment.x0 - rect[0]) <= 0.3 * below.height
        if aligned and len(segment.words) == 1 and re.fullmatch(r"[.-][\w.-]+", segment.text):
            consumed.add((end + 1, m))
            return segment.text
    return ""


def _runs_on(lines: Sequence[Line], end: int, segment: Segment) -> bool:
    """A value at the end of a line of running text that the next line finishes (it ends a sentence there)."""
    if end + 1 >= len(lines) or lines[end].segments[-1] is not segment or len(lines[end + 1].segments) != 1:
        return False
    following, line = lines[end + 1], lines[end]
    tight = following.page == line.page and following.top - line.bottom <= 0.6 * line.height
    return tight and ". " in f"{following.text} " and not is_label_like(following.segments[0])


def _continuation(
    lines: Sequence[Line], end: int, consumed: set[tuple[int, int]], column: float | None = None
) -> Iterator[str]:
    """Lines that go on with a description: until a label, a heading, a wide gap or another page; for a value
    printed in a cell (its left edge `column`), until a line that does not start in that cell's column."""
    for k in range(end + 1, len(lines)):
        line, previous = lines[k], lines[k - 1]
        if line.page != previous.page or line.running or line.top - previous.bottom > 1.5 * previous.height:
            return
        if column is not None and abs(line.segments[0].x0 - column) > previous.height:
            return  # `Blessés | Non` over the next block's text at the margin: the cell has ended
        if any(is_label_like(segment) for segment in line.segments) or heading_party(line.text)[0]:
            return
        if (len(line.segments) == 1 and looks_like_heading(line.text)) or len(line.segments) > 1:
            return  # a heading, or a row of a layout: the description has ended
        consumed.update((k, m) for m in range(len(line.segments)))
        yield line.text
