"""Labels within a printed segment: `Label: value` (one or several on a line), a bare label, a label without its colon.

Dot leaders end a label as a colon does, bullets go, a word glued to its label (`TOTAL:$115`) is
split, and the longest label we know wins over a shorter one inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from services.docextract.content import PlacedWord
from services.docextract.layout import Segment
from services.docextract.vocabulary import Meaning, label_key, meaning_of

MAX_LABEL_WORDS = 6
LEADER = re.compile(r"(?:[.·…_]\s?){3,}$")
_BULLET = re.compile(r"^[•·▪◦*–-]+$|^\d{1,2}[.)]$")
_INNER_COLON = re.compile(r"^([^\d:][^:]*:)(\S.*)$")  # `ESTIMATE:$115,350`, not `14:30`


@dataclass(frozen=True)
class Piece:
    label: str
    meaning: Meaning
    score: float
    value: tuple[PlacedWord, ...]
    colon: bool


def _words(segment: Segment) -> list[PlacedWord]:
    """The segment's words with leading bullets dropped and `Label:value` glued words split."""
    words: list[PlacedWord] = []
    for word in _single_words(segment.words):
        glued = _INNER_COLON.match(word.text)
        if glued and not glued.group(2).startswith("//"):
            x0, top, x1, bottom = word.rect
            cut = x0 + (x1 - x0) * len(glued.group(1)) / len(word.text)
            words += [
                PlacedWord(glued.group(1), (x0, top, cut, bottom)),
                PlacedWord(glued.group(2), (cut, top, x1, bottom)),
            ]
        else:
            words.append(word)
    while words and _BULLET.match(words[0].text):
        words.pop(0)
    return _leaders_as_colons(words)


def _leaders_as_colons(words: list[PlacedWord]) -> list[PlacedWord]:
    """`Policy ID.............. PAU-1` reads as `Policy ID: PAU-1`: dot leaders end a label as a colon does."""
    out: list[PlacedWord] = []
    for word in words:
        leader = LEADER.search(word.text)
        if leader is None:
            out.append(word)
        elif leader.start() > 0:
            out.append(PlacedWord(word.text[: leader.start()].rstrip(":") + ":", word.rect))
        elif out and not out[-1].text.endswith(":"):
            out[-1] = PlacedWord(out[-1].text + ":", out[-1].rect)
    return out


def _single_words(placed: Sequence[PlacedWord]) -> Iterator[PlacedWord]:
    """OCR places some runs of words as one: each word apart, its share of the rect by its share of the text."""
    for word in placed:
        parts = word.text.split()
        if len(parts) <= 1:
            yield word
            continue
        x0, top, x1, bottom = word.rect
        width, at = (x1 - x0) / max(len(word.text), 1), 0
        for part in parts:
            start = word.text.index(part, at)
            at = start + len(part)
            yield PlacedWord(part, (x0 + start * width, top, x0 + at * width, bottom))


def _clean_label(text: str) -> str:
    return text.strip().rstrip(":").strip()


@lru_cache(maxsize=4096)
def split_segment(segment: Segment) -> tuple[tuple[PlacedWord, ...], tuple[Piece, ...]]:
    """Words before the first label, and each label with the words of its value (a segment is asked often)."""
    lead, pieces = _split(segment)
    return tuple(lead), tuple(pieces)


def _split(segment: Segment) -> tuple[list[PlacedWord], list[Piece]]:
    words = _words(segment)
    starts: list[tuple[int, int, str, Meaning, float]] = []  # (label start, value start, label, meaning, score)
    for index, word in enumerate(words):
        if not word.text.endswith(":") or (len(word.text) == 1 and index == 0):
            continue
        earliest = starts[-1][1] if starts else 0
        found = _label_ending_at(words, earliest, index)
        if found:
            starts.append((found[0], index + 1, *found[1:]))
    if not starts:
        return words, []
    ends = [start for start, *_ in starts[1:]] + [len(words)]
    pieces = [
        _longer_label(label, meaning, score, words[value_start:end])
        for (_, value_start, label, meaning, score), end in zip(starts, ends, strict=True)
    ]
    return words[: starts[0][0]], pieces


def _longer_label(label: str, meaning: Meaning, score: float, value: Sequence[PlacedWord]) -> Piece:
    """`INJURED: NAME, SEVERITY, DESCRIPTION None`: a label whose wording goes on past its colon."""
    for count in range(min(MAX_LABEL_WORDS, len(value)), 0, -1):
        longer = f"{label}: {' '.join(word.text for word in value[:count])}"
        found = meaning_of(longer) if label_key(longer) != label_key(label) else None  # `Tel.: (253)` is `Tel.`
        if found and found[1] == 1.0 and found[0][1]:
            return Piece(longer, found[0], 1.0, tuple(value[count:]), True)
    return Piece(label, meaning, score, tuple(value), True)


def _label_ending_at(words: Sequence[PlacedWord], earliest: int, index: int) -> tuple[int, str, Meaning, float] | None:
    for exact in (True, False):  # an exact label of any length before a fuzzy one; the longest wins
        for count in range(min(MAX_LABEL_WORDS, index + 1 - earliest), 0, -1):
            text = _clean_label(" ".join(word.text for word in words[index - count + 1 : index + 1]))
            if not text or not (text[0].isupper() or text[0] in "#N°"):
                continue
            found = meaning_of(text)
            if found and (found[1] == 1.0) == exact:
                return index - count + 1, text, found[0], found[1]
    text = _clean_label(words[index].text)
    if text[:1].isupper():  # a label we do not know still ends the value before it
        return index, text, (None, None), 1.0
    return None


def label_only(segment: Segment) -> Piece | None:
    """A segment that is nothing but a known label (a cell or a box title)."""
    words = _words(segment)
    text = _clean_label(" ".join(word.text for word in words)).rstrip("?").strip()
    if not text or len(words) > MAX_LABEL_WORDS or not (text[0].isupper() or text[0] in "#N°"):
        return None
    found = meaning_of(text)
    return Piece(text, found[0], found[1], (), False) if found else None


def prefix_label(segment: Segment) -> Piece | None:
    """`Policy Number POL-1001` printed without a colon: a known label of two words or more, exactly."""
    words = _words(segment)
    for count in range(min(MAX_LABEL_WORDS, len(words) - 1), 1, -1):
        text = " ".join(word.text for word in words[:count])
        found = meaning_of(text)
        if found and found[1] == 1.0 and found[0][1] and text[0].isupper():
            return Piece(text, found[0], 1.0, tuple(words[count:]), False)
    return None


@lru_cache(maxsize=4096)
def is_label_like(segment: Segment) -> bool:
    return label_only(segment) is not None or bool(split_segment(segment)[1])
