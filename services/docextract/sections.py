"""Section headings and the party each part of a page is about (across the page, or per column)."""

from __future__ import annotations

import re

from services.docextract.labelled import LEADER, is_label_like
from services.docextract.layout import Line
from services.docextract.vocabulary import heading_party


class Sections:
    """The party each part of the page is about: one for the width of the page, or one per column."""

    def __init__(self, default: str | None) -> None:
        self.default = default
        self.columns: list[tuple[float, str | None]] = [(float("-inf"), default)]

    def party_at(self, x0: float) -> str | None:
        return next(party for left, party in reversed(self.columns) if x0 >= left)

    def open_column(self, x0: float, party: str) -> None:
        """A heading printed at the end of a line (`Quote No.: Q-1 | Customer`) starts its column's section."""
        self.columns = [column for column in self.columns if column[0] < x0 - 5] + [(x0 - 5, party)]

    def heading(self, line: Line) -> bool:
        """Take the line as a heading if it is one; whether it was."""
        if len(line.segments) == 1:
            known, party = heading_party(line.text)
            if known or looks_like_heading(line.text):
                self.columns = [(float("-inf"), party or self.default)]
                return True
            return False
        parties = [heading_party(segment.text) for segment in line.segments]
        shaped = heading_row(line)
        if shaped and any(party for _, party in parties):
            self.columns = [
                (float("-inf") if i == 0 else segment.x0 - 5, party or self.default)
                for i, (segment, (_, party)) in enumerate(zip(line.segments, parties, strict=True))
            ]
            return True
        return False


def heading_row(line: Line) -> bool:
    """Headings side by side: all known, or, when none of them is also a label, shaped like headings."""
    if all(heading_party(segment.text)[0] for segment in line.segments):
        return True
    labels = any(is_label_like(segment) for segment in line.segments)
    return len(line.segments) > 1 and not labels and all(is_heading(segment.text) for segment in line.segments)


def is_heading(text: str) -> bool:
    """A section heading: one we know, or one shaped like a heading."""
    return heading_party(text)[0] or looks_like_heading(text)


def looks_like_heading(text: str) -> bool:
    """A heading we do not know: a few capitalised words (`Declaration of the insured`), no figures, no sentence."""
    words = text.split()
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", text)
    shaped = (text.isupper() and len(letters) >= 4) or (
        len(words) >= 2 and words[0][:1].isupper() and all(w[:1].isupper() or len(w) <= 3 for w in words)
    )
    plain = not re.search(r"\d", text) and ":" not in text and not LEADER.search(text) and "..." not in text
    return 0 < len(words) <= 6 and plain and text[-1:] not in ".,;" and shaped
