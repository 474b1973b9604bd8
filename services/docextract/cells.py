"""Table cells whose text wraps over several lines, joined back into one segment each.

A word processor wraps a long value (or a long label: `Corresponde` / `nce Address`) inside
its cell; the next printed line then holds only the cells' continuations, each starting
where its cell's text starts. Such a line is folded into the line above, segment into
segment, so a label and its value stay one cell each. A line that starts with a label, or
follows a row made only of labels (labels over values), starts a row of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from services.docextract.layout import Line, Segment

ALIGNED = 3.0  # pt (or px on OCR pages, scaled by height): a continuation starts where its cell's text starts
TIGHT = 0.8  # a wrapped line follows within this many text heights
LOOK_BACK = 3  # lines of the other column that may stand between a cell and its continuation
PADDING = 0.04  # a table row's padding adds at least this many text heights to the gap between lines


def join_wrapped_cells(
    lines: Sequence[Line], *, is_label: Callable[[Segment], bool], is_heading: Callable[[str], bool]
) -> list[Line]:
    """The lines with each wrapped cell's continuation lines folded into it; a heading is never a continuation."""
    joined: list[Line] = []
    leading = _leading(lines)
    for line in lines:
        at = _column_above(joined, line)  # two columns' lines interleave: the cell above may be lines back
        previous = joined[at] if at is not None else None
        # `Drive, Albany` under a row's last cell is shaped like a heading, but no heading starts inside a row
        heading = len(line.segments) == 1 and is_heading(line.text) and not _under_inner_cell(previous, line)
        cells = None
        if previous is not None and not heading and _wrapped_gap(previous, line, leading.get(line.page, 0.0)):
            cells = _cells_continued(previous, line, is_label)
        if previous is None or at is None or not cells:
            joined.append(line)
            continue
        segments = list(previous.segments)
        for index, segment in zip(cells, line.segments, strict=False):
            segments[index] = Segment(segments[index].words + segment.words)
        joined[at] = Line(
            previous.page, tuple(segments), previous.top, max(previous.bottom, line.bottom), previous.method
        )
        if len(cells) < len(line.segments):  # `Hannover | Tel.: 0341…`: the rest is the next row of a column beside
            joined.append(Line(line.page, line.segments[len(cells) :], line.top, line.bottom, line.method))
    return joined


def _column_above(lines: Sequence[Line], line: Line) -> int | None:
    """The nearest of the last few lines on the page with a segment starting where this line starts."""
    x0 = line.segments[0].x0
    tolerance = ALIGNED * line.height / 10
    for index in range(len(lines) - 1, max(len(lines) - 1 - LOOK_BACK, -1), -1):
        above = lines[index]
        if above.page != line.page:
            return None
        if any(abs(segment.x0 - x0) <= tolerance for segment in above.segments):
            return index
    return len(lines) - 1 if lines and lines[-1].page == line.page else None


def _under_inner_cell(above: Line | None, line: Line) -> bool:
    """Whether the line starts under a cell of the row above other than its first."""
    if above is None or len(above.segments) < 2:
        return False
    tolerance = ALIGNED * min(above.height, line.height) / 10
    return any(abs(cell.x0 - line.segments[0].x0) <= tolerance for cell in above.segments[1:])


def _cells_continued(above: Line, line: Line, is_label: Callable[[Segment], bool]) -> list[int] | None:
    """For the first segments of the line, the segments of the line above they continue; None for a new row."""
    if above.page != line.page or is_label(line.segments[0]):
        return None
    if len(above.segments) < 2 and len(line.segments) < 2 and (len(line.text.split()) > 3 or line.text.endswith(".")):
        return None  # running text goes on as paragraphs: the description reader takes those
    if all(is_label(segment) and not re.search(r":\s*\S", segment.text) for segment in above.segments):
        return None  # a row of bare labels over a row of values
    tolerance = ALIGNED * min(above.height, line.height) / 10
    found: list[int] = []
    for position, segment in enumerate(line.segments):
        index = next((i for i, cell in enumerate(above.segments) if abs(cell.x0 - segment.x0) <= tolerance), None)
        rest_labels = found and all(is_label(rest) for rest in line.segments[position:])
        if index is None and rest_labels:
            return found  # the cells that continue; the labels after them start a row of their own
        if index is None or (found and index <= found[-1]):
            return None
        cell = above.segments[index]
        if is_label(cell) and not is_label(Segment(cell.words + segment.words)):
            return None  # `Loss Date` is whole: `Where did it` below it starts the next row
        found.append(index)
    return found


def _leading(lines: Sequence[Line]) -> dict[int, float]:
    """Per page, the smallest gap between two lines of one size: the font's leading, in a paragraph or a cell.

    (A small label over its value sits closer than that: lines of different sizes do not count.)
    """
    gaps: dict[int, float] = {}
    for index, line in enumerate(lines):
        at = _column_above(lines[:index], line)  # within a column: two columns' lines interleave
        if at is None:
            continue
        above = lines[at]
        gap = line.top - above.bottom
        same_size = 0.85 <= above.height / line.height <= 1.18
        if gap >= 0 and same_size:
            gaps[line.page] = min(gaps.get(line.page, gap), gap)
    return gaps


def _wrapped_gap(above: Line, line: Line, leading: float) -> bool:
    """A line wrapped inside a cell follows at the font's leading; a table's next row adds the cells' padding."""
    gap = line.top - above.bottom
    height = min(above.height, line.height)
    return line.page == above.page and gap <= min(TIGHT * height, leading + PADDING * height)
