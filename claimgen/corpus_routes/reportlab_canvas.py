"""Route 4a: documents drawn with reportlab's canvas, in layouts unlike claimgen's.

`leaders`: a label, a dotted leader, the value. `split`: small pages with labels above values,
where the first page ends on a label whose value starts the next page. `acord`: an ACORD-like
form of numbered boxes under black bands. `slip`: a till roll in Courier, label left and value
right. Same document, same bytes (`invariant`).
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from claimgen.corpus_routes.reportlab_pen import Pen
from claimgen.corpus_routes.sheet import Document, Entry, Items, Prose, Section


def _leader_entry(pen: Pen, entry: Entry) -> None:
    width = pen.right - pen.left
    lines = simpleSplit(entry.value, "Helvetica", 9.5, width * 0.58) or [""]
    pen.need(12 * len(lines) + 2)
    label_end = pen.left + width * 0.40
    if entry.label:
        pen.canvas.setFont("Helvetica", 9)
        pen.canvas.drawString(pen.left, pen.y, entry.label)
        start = pen.left + pen.canvas.stringWidth(entry.label, "Helvetica", 9) + 3
        dots = "." * max(0, int((label_end - start) / pen.canvas.stringWidth(".", "Helvetica", 9)))
        pen.canvas.drawString(start, pen.y, dots)
    pen.canvas.setFont("Helvetica-Bold", 9.5)
    for line in lines:
        pen.canvas.drawString(label_end + 4 if entry.label else pen.left, pen.y, line)
        pen.y -= 12
    pen.y -= 2


def _slip_entry(pen: Pen, entry: Entry) -> None:
    pen.need(11)
    pen.canvas.setFont("Courier", 8)
    if pen.canvas.stringWidth(entry.label + entry.value, "Courier", 8) > pen.right - pen.left - 8:
        pen.canvas.drawString(pen.left, pen.y, entry.label)
        pen.y -= 10
    elif entry.label:
        pen.canvas.drawString(pen.left, pen.y, entry.label)
    pen.canvas.drawRightString(pen.right, pen.y, entry.value)
    pen.y -= 10


def _slip(pen: Pen, document: Document) -> None:
    pen.canvas.setFont("Courier-Bold", 10)
    for index, line in enumerate((*document.issuer, document.title)):
        if index:
            pen.canvas.setFont("Courier", 7.5)
        for part in simpleSplit(line, "Courier", 7.5, pen.right - pen.left):
            pen.canvas.drawCentredString(pen.width / 2, pen.y, part)
            pen.y -= 10
    pen.y -= 4
    for block in document.blocks:
        if isinstance(block, Items):
            for row in block.rows:
                _slip_entry(pen, Entry(row[0][:22], row[-1]))
            pen.canvas.line(pen.left, pen.y + 6, pen.right, pen.y + 6)
            pen.y -= 4
            entries = block.totals
        elif isinstance(block, Section):
            entries = block.entries
        else:
            entries = tuple(
                Entry("", part)
                for text in block.paragraphs
                for part in simpleSplit(text, "Courier", 8, pen.right - pen.left)
            )
        for entry in entries:
            _slip_entry(pen, entry)
        pen.y -= 6


def _above_entry(pen: Pen, entry: Entry) -> None:
    lines = simpleSplit(entry.value, "Times-Roman", 11, pen.right - pen.left) or [""]
    if pen.may_split and pen.y - pen.bottom < 2 * (10 + 13 * len(lines)):
        pen.y = pen.bottom + 10  # the label ends the page; its value opens the next one
        pen.may_split = False
    pen.need(10)
    pen.canvas.setFont("Helvetica-Oblique", 7.5)
    pen.canvas.drawString(pen.left, pen.y, entry.label.upper())
    pen.y -= 13
    pen.canvas.setFont("Times-Roman", 11)
    for line in lines:
        pen.need(13)
        pen.canvas.drawString(pen.left, pen.y, line)
        pen.y -= 13
    pen.y -= 3


def _boxes(pen: Pen, section: Section, counter: list[int]) -> None:
    pen.band(section.heading)
    column = (pen.right - pen.left) / 4
    x = pen.left
    for entry in section.entries:
        span = 4 if len(entry.value) > 46 else 2 if len(entry.value) > 22 else 1
        lines = simpleSplit(entry.value, "Helvetica", 9, column * span - 6) or [""]
        height = 12 + 11 * len(lines)
        if x + column * span > pen.right + 1:
            x, pen.y = pen.left, pen.y - pen.row_height
        if x == pen.left:
            pen.need(height)
            pen.row_height = height
        pen.row_height = max(pen.row_height, height)
        counter[0] += 1
        pen.box(x, column * span, height, f"{counter[0]}. {entry.label.upper()}", lines)
        x += column * span
    pen.y -= pen.row_height + 4


def _items(pen: Pen, items: Items) -> None:
    if items.heading:
        pen.heading(items.heading)
    width = pen.right - pen.left
    stops = [pen.left, pen.left + width * 0.46, pen.left + width * 0.60, pen.left + width * 0.80]
    for index, row in enumerate((items.columns, *items.rows)):
        pen.need(13)
        pen.canvas.setFont("Helvetica-Bold" if index == 0 else "Helvetica", 8.5)
        for position, (stop, value) in enumerate(zip(stops, row, strict=False)):
            text = simpleSplit(value, "Helvetica", 8.5, width * 0.44)[0] if position == 0 else value
            if position == 0:
                pen.canvas.drawString(stop + 2, pen.y, text)
            else:
                pen.canvas.drawRightString(stops[position + 1] - 4 if position < 3 else pen.right - 2, pen.y, text)
        pen.canvas.line(pen.left, pen.y - 3, pen.right, pen.y - 3)
        pen.y -= 13
    for total in items.totals:
        pen.need(13)
        pen.canvas.setFont("Helvetica-Bold", 9)
        pen.canvas.drawRightString(stops[3] - 4, pen.y, total.label)
        pen.canvas.drawRightString(pen.right - 2, pen.y, total.value)
        pen.y -= 13
    pen.y -= 6


def _prose(pen: Pen, prose: Prose) -> None:
    if prose.heading:
        pen.heading(prose.heading)
    for text in prose.paragraphs:
        for line in simpleSplit(text, "Times-Roman", 10.5, pen.right - pen.left):
            pen.need(13)
            pen.canvas.setFont("Times-Roman", 10.5)
            pen.canvas.drawString(pen.left, pen.y, line)
            pen.y -= 13
        pen.y -= 5


def render_canvas(document: Document, layout: str) -> bytes:
    """The document drawn in `layout`: leaders, split or acord."""
    buffer = io.BytesIO()
    pagesize = {"leaders": LETTER, "split": A5, "acord": A4, "slip": (80 * mm, 230 * mm)}[layout]
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1)
    canvas.setTitle(document.title or document.fine_type)
    margin = {"split": 36, "slip": 14}.get(layout, 50)
    pen = Pen(canvas, pagesize, document, margin=margin, may_split=layout == "split")
    if layout == "slip":
        _slip(pen, document)
        pen.finish()
        return buffer.getvalue()
    pen.letterhead(banner=layout == "acord")
    counter = [0]
    for block in document.blocks:
        if isinstance(block, Items):
            _items(pen, block)
        elif isinstance(block, Prose):
            _prose(pen, block)
        elif layout == "acord":
            _boxes(pen, block, counter)
        else:
            if block.heading:
                pen.heading(block.heading)
            for entry in block.entries:
                (_leader_entry if layout == "leaders" else _above_entry)(pen, entry)
            pen.y -= 4
    pen.finish()
    return buffer.getvalue()
