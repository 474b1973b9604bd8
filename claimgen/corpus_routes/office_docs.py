"""Route 1a: documents as Word files (python-docx) that LibreOffice converts to PDF.

Layouts: `grid4` (label and value in adjacent cells, two pairs a row), `above` (a row of labels
over a row of values), `twocol` (sections side by side, 'Label: value' lines), `stateform`
(boxed cells, a small label above the value in the same cell).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TypeVar

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from claimgen.corpus_routes.sheet import Document, Items, Prose, Section

Part = TypeVar("Part")


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _widths(table: Table, centimetres: Sequence[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, centimetres, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, centimetres, strict=True):
            cell.width = Cm(width)


def _write(cell: _Cell, text: str, *, bold: bool = False, size: float = 9.5) -> None:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def _chunks(parts: Sequence[Part], width: int) -> list[Sequence[Part]]:
    return [parts[index : index + width] for index in range(0, len(parts), width)]


def _grid4(word: WordDocument, section: Section) -> None:
    rows = _chunks(section.entries, 2)
    table = word.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    _widths(table, (3.0, 5.5, 3.0, 5.5))
    for row, pairs in zip(table.rows, rows, strict=True):
        for index, entry in enumerate(pairs):
            _write(row.cells[2 * index], entry.label, bold=True)
            _shade(row.cells[2 * index], "E7E6E6")
            _write(row.cells[2 * index + 1], entry.value)


def _above(word: WordDocument, section: Section) -> None:
    rows = _chunks(section.entries, 3)
    table = word.add_table(rows=2 * len(rows), cols=3)
    table.style = "Table Grid"
    for index, entries in enumerate(rows):
        for column, entry in enumerate(entries):
            _write(table.rows[2 * index].cells[column], entry.label, size=7.5)
            _shade(table.rows[2 * index].cells[column], "DDEBF7")
            _write(table.rows[2 * index + 1].cells[column], entry.value)


def _stateform(word: WordDocument, section: Section) -> None:
    rows = _chunks(section.entries, 4)
    table = word.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for row, entries in zip(table.rows, rows, strict=True):
        for cell, entry in zip(row.cells, entries, strict=False):
            _write(cell, entry.label.upper(), size=6)
            _write(cell, entry.value, size=9.5)


def _lines_into(cell: _Cell, section: Section) -> None:
    if section.heading:
        _write(cell, section.heading, bold=True, size=10.5)
    for entry in section.entries:
        paragraph = cell.add_paragraph()
        if entry.label:
            label = paragraph.add_run(f"{entry.label}: ")
            label.bold, label.font.size = True, Pt(9)
        paragraph.add_run(entry.value).font.size = Pt(9)


def _twocol(word: WordDocument, sections: Sequence[Section]) -> None:
    pairs = _chunks(sections, 2)
    table = word.add_table(rows=len(pairs), cols=2)
    for row, pair in zip(table.rows, pairs, strict=True):
        for cell, section in zip(row.cells, pair, strict=False):
            _lines_into(cell, section)


def _items(word: WordDocument, items: Items) -> None:
    if items.heading:
        word.add_heading(items.heading, level=2)
    width = len(items.columns)
    table: Table = word.add_table(rows=1 + len(items.rows) + len(items.totals), cols=width)
    table.style = "Light Grid Accent 1"
    for cell, name in zip(table.rows[0].cells, items.columns, strict=True):
        _write(cell, name, bold=True)
    for row, values in zip(table.rows[1:], items.rows, strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            _write(cell, value)
    for row, total in zip(table.rows[1 + len(items.rows) :], items.totals, strict=True):
        _write(row.cells[width - 2], total.label, bold=True)
        _write(row.cells[width - 1], total.value, bold=True)


def _letterhead(word: WordDocument, document: Document) -> None:
    for index, line in enumerate(document.issuer):
        paragraph = word.add_paragraph()
        run = paragraph.add_run(line)
        run.bold, run.font.size = index == 0, Pt(14 if index == 0 else 9)
        paragraph.paragraph_format.space_after = Pt(0)
    if document.title:
        title = word.add_heading(document.title, level=1)
        title.alignment = WD_ALIGN_PARAGRAPH.RIGHT if len(document.issuer) > 2 else WD_ALIGN_PARAGRAPH.LEFT
    footer = word.sections[0].footer.paragraphs[0]
    footer.text = "   ".join(document.footer)
    for run in footer.runs:
        run.font.size, run.font.color.rgb = Pt(7), RGBColor(0x70, 0x70, 0x70)


def render_docx(document: Document, layout: str) -> bytes:
    """The document as a .docx file in `layout`."""
    word = new_word_document()
    _letterhead(word, document)
    sections = [block for block in document.blocks if isinstance(block, Section)]
    if layout == "twocol":
        _twocol(word, sections)
    for block in document.blocks:
        if isinstance(block, Items):
            _items(word, block)
        elif isinstance(block, Prose):
            if block.heading:
                word.add_heading(block.heading, level=2)
            for text in block.paragraphs:
                word.add_paragraph(text)
        elif layout != "twocol":
            if block.heading:
                word.add_heading(block.heading, level=2)
            {"grid4": _grid4, "above": _above, "stateform": _stateform}[layout](word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
