"""Route 1b: documents as OpenDocument text (odfpy) that LibreOffice converts to PDF.

One layout: sections as borderless two-column tables (label, value), items in a ruled table,
the letterhead right-aligned at the top.
"""

from __future__ import annotations

import io

from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P

from claimgen.corpus_routes.sheet import Document, Items, Prose, Section


def _styles(odt: OpenDocumentText) -> dict[str, Style]:
    def style(name: str, family: str, *properties: object) -> Style:
        made = Style(name=name, family=family)
        for item in properties:
            made.addElement(item)
        odt.automaticstyles.addElement(made)
        return made

    return {
        "org": style(
            "Org", "paragraph", TextProperties(fontsize="15pt", fontweight="bold"), ParagraphProperties(textalign="end")
        ),
        "right": style("Right", "paragraph", TextProperties(fontsize="8.5pt"), ParagraphProperties(textalign="end")),
        "title": style(
            "Title",
            "paragraph",
            TextProperties(fontsize="18pt", fontweight="bold"),
            ParagraphProperties(margintop="0.4cm", marginbottom="0.3cm"),
        ),
        "heading": style(
            "Head",
            "paragraph",
            TextProperties(fontsize="11pt", fontweight="bold", color="#2f5496"),
            ParagraphProperties(margintop="0.3cm", borderbottom="0.5pt solid #2f5496"),
        ),
        "label": style("Label", "paragraph", TextProperties(fontsize="9pt", color="#555555")),
        "value": style("Value", "paragraph", TextProperties(fontsize="9.5pt")),
        "small": style("Small", "paragraph", TextProperties(fontsize="7pt", color="#777777")),
        "ruled": style("Ruled", "table-cell", TableCellProperties(border="0.5pt solid #000000", padding="0.05cm")),
        "narrow": style("Narrow", "table-column", TableColumnProperties(columnwidth="5cm")),
        "broad": style("Broad", "table-column", TableColumnProperties(columnwidth="11cm")),
    }


def _fields(styles: dict[str, Style], section: Section) -> Table:
    table = Table(name=section.heading or "fields")
    table.addElement(TableColumn(stylename=styles["narrow"]))
    table.addElement(TableColumn(stylename=styles["broad"]))
    for entry in section.entries:
        row = TableRow()
        for text, name in ((entry.label, "label"), (entry.value, "value")):
            cell = TableCell()
            cell.addElement(P(stylename=styles[name], text=text))
            row.addElement(cell)
        table.addElement(row)
    return table


def _ruled_row(styles: dict[str, Style], values: tuple[str, ...]) -> TableRow:
    row = TableRow()
    for value in values:
        cell = TableCell(stylename=styles["ruled"])
        cell.addElement(P(stylename=styles["value"], text=value))
        row.addElement(cell)
    return row


def _items(styles: dict[str, Style], items: Items) -> Table:
    table = Table(name="items")
    table.addElement(TableColumn(numbercolumnsrepeated=len(items.columns)))
    table.addElement(_ruled_row(styles, items.columns))
    for row in items.rows:
        table.addElement(_ruled_row(styles, row))
    blanks = ("",) * (len(items.columns) - 2)
    for total in items.totals:
        table.addElement(_ruled_row(styles, (*blanks, total.label, total.value)))
    return table


def _head(odt: OpenDocumentText, styles: dict[str, Style], document: Document) -> None:
    for index, line in enumerate(document.issuer):
        odt.text.addElement(P(stylename=styles["org" if index == 0 else "right"], text=line))
    if document.title:
        odt.text.addElement(P(stylename=styles["title"], text=document.title))


def render_odt(document: Document) -> bytes:
    """The document as an .odt file."""
    odt = OpenDocumentText()
    styles = _styles(odt)
    _head(odt, styles, document)
    for block in document.blocks:
        if block.heading:
            odt.text.addElement(H(outlinelevel=2, stylename=styles["heading"], text=block.heading))
        if isinstance(block, Section):
            odt.text.addElement(_fields(styles, block))
        elif isinstance(block, Items):
            odt.text.addElement(_items(styles, block))
        elif isinstance(block, Prose):
            for text in block.paragraphs:
                odt.text.addElement(P(stylename=styles["value"], text=text))
    for line in document.footer:
        odt.text.addElement(P(stylename=styles["small"], text=line))
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()
