"""Table cells whose text wraps over several lines, joined back into one segment each.

A word processor wraps a long value (or a long label: `Corresponde` / `nce Address`) inside
its cell; the next printed line then holds only the cells' continuations, each starting
where its cell's text starts. Such a line is folded into the line above, segment into
segment, so a label and its value stay one cell each. A line that starts with a label, or
follows a row made only of labels (labels over values), starts a row of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.docextract.layout import Line, Segment

ALIGNED = 3.0  # pt (or px on OCR pages, scaled by height): a continuation starts where its cell's text starts
TIGHT = 0.8  # a wrapped line follows within this many text heights


def join_wrapped_cells(lines: Sequence[Line], *, is_label: Callable[[Segment], bool],
                       is_heading: Callable[[str], bool]) -> list[Line]:
    """The lines with each wrapped cell's continuation lines folded into it; a heading is never a continuation."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        heading = len(line.segments) == 1 and is_heading(line.text)
        cells = _cells_continued(previous, line, is_label) if previous is not None and not heading else None
        if previous is None or cells is None:
            joined.append(line)
            continue
        segments = list(previous.segments)
        for index, segment in zip(cells, line.segments, strict=True):
            segments[index] = Segment(segments[index].words + segment.words)
        joined[-1] = Line(previous.page, tuple(segments), previous.top, line.bottom, previous.method)
    return joined


def _cells_continued(above: Line, line: Line, is_label: Callable[[Segment], bool]) -> list[int] | None:
    """For each segment of the line, the segment of the line above it continues; None if it starts a new row."""
    if above.page != line.page or len(above.segments) < 2 and len(line.segments) < 2:
        return None  # single-column text runs on as paragraphs: the description reader takes those
    height = min(above.height, line.height)
    if line.top - above.bottom > TIGHT * height or is_label(line.segments[0]):
        return None
    if all(is_label(segment) for segment in above.segments):
        return None  # a row of labels over a row of values
    tolerance = ALIGNED * height / 10
    found: list[int] = []
    for segment in line.segments:
        index = next((i for i, cell in enumerate(above.segments) if abs(cell.x0 - segment.x0) <= tolerance), None)
        if index is None or (found and index <= found[-1]):
            return None
        found.append(index)
    return found
