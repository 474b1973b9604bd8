"""Route 4b: documents set with reportlab's platypus: every value in a ruled cell, label cells
shaded, items in a full grid, the footer and page number drawn on each page. Deterministic."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from claimgen.corpus_routes.labels import LABELS
from claimgen.corpus_routes.sheet import Document, Items, Prose, Section

_SHEET = getSampleStyleSheet()
_CELL = ParagraphStyle("cell", parent=_SHEET["BodyText"], fontName="Helvetica", fontSize=8.5, leading=10.5)
_LABEL = ParagraphStyle("label", parent=_CELL, fontName="Helvetica-Bold", fontSize=7.5, leading=9)
_HEAD = ParagraphStyle(
    "head",
    parent=_SHEET["Heading3"],
    fontName="Helvetica-Bold",
    fontSize=10.5,
    spaceBefore=8,
    spaceAfter=3,
    textColor=colors.HexColor("#1f3864"),
)
# A platypus table style command: its name, first and last cell, then its values (width, colour, ...).
TableCommand: TypeAlias = tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]
_RULES: list[TableCommand] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]


def _cell(text: str, style: ParagraphStyle = _CELL) -> Paragraph:
    return Paragraph(escape(text), style)


def _section(section: Section, width: float) -> list[Flowable]:
    rows: list[list[Paragraph | str]] = []
    row: list[Paragraph | str] = []
    for entry in section.entries:
        row += [_cell(entry.label, _LABEL), _cell(entry.value)]
        if len(row) == 4:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (4 - len(row)))
    shading: list[TableCommand] = [
        ("BACKGROUND", (column, 0), (column, -1), colors.HexColor("#e4e4e4")) for column in (0, 2)
    ]
    table = Table(rows, colWidths=[width * 0.18, width * 0.32] * 2, style=TableStyle(_RULES + shading))
    head = [Paragraph(escape(section.heading), _HEAD)] if section.heading else [Spacer(1, 6)]
    return [*head, table]


def _items(items: Items, width: float) -> list[Flowable]:
    count = len(items.columns)
    widths = [width * 0.46] + [width * 0.54 / (count - 1)] * (count - 1)
    rows: list[list[object]] = [[_cell(name, _LABEL) for name in items.columns]]
    rows += [[_cell(value) for value in row] for row in items.rows]
    first_total = len(rows)
    rows += [[""] * (count - 2) + [_cell(total.label, _LABEL), _cell(total.value, _LABEL)] for total in items.totals]
    style = TableStyle(
        [*_RULES, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#c9d7ee")), ("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    )
    if items.totals:
        style.add("SPAN", (0, first_total), (count - 3, len(rows) - 1))
    head = [Paragraph(escape(items.heading), _HEAD)] if items.heading else [Spacer(1, 8)]
    return [*head, Table(rows, colWidths=widths, style=style, repeatRows=1)]


def _prose(prose: Prose) -> list[Flowable]:
    head: list[Flowable] = [Paragraph(escape(prose.heading), _HEAD)] if prose.heading else []
    return head + [Paragraph(escape(text), _SHEET["BodyText"]) for text in prose.paragraphs]


def _page_decoration(document: Document) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def decorate(canvas: Canvas, template: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 6.5)
        for index, line in enumerate(document.footer):
            canvas.drawString(template.leftMargin, 12 * mm - 8 * index, line)
        page = LABELS[document.lang]["page"][0].split("{of}")[0].format(n=canvas.getPageNumber()).rstrip(" /vonf")
        canvas.drawRightString(A4[0] - template.rightMargin, 12 * mm, page)
        canvas.restoreState()

    return decorate


def render_tables(document: Document) -> bytes:
    """The document set in ruled tables on A4."""
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=22 * mm,
        title=document.title or document.fine_type,
    )
    width = A4[0] - 32 * mm
    story: list[Flowable] = [
        Paragraph(escape(line), _SHEET["Title" if index == 0 else "Normal"])
        for index, line in enumerate(document.issuer)
    ]
    if document.title:
        story.append(Paragraph(escape(document.title), _SHEET["Heading1"]))
    for block in document.blocks:
        if isinstance(block, Section):
            story += _section(block, width)
        elif isinstance(block, Items):
            story += _items(block, width)
        else:
            story += _prose(block)
    decorate = _page_decoration(document)
    template.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
