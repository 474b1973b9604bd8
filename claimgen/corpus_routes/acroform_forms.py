"""Route 5: fillable PDF forms (reportlab AcroForm) whose fields have generic names ('Text1',
'Check Box7') and whose labels are printed on the page next to or above the widgets. The fields
are filled in; yes/no answers are pairs of check boxes.

Layouts: `beside` (label left of the field), `above` (label over the field), `twovehicle` and
`twovehicle-above` (the insured's and the other party's vehicles in two columns side by side).
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from claimgen.corpus_routes.labels import LABELS
from claimgen.corpus_routes.reportlab_pen import Pen
from claimgen.corpus_routes.sheet import Document, Entry, Items, Prose, Section

_FIELD_HEIGHT = 15.0


class FormPen(Pen):
    """A pen that fills widgets instead of writing values, numbering them as a form editor does."""

    def __init__(self, canvas: Canvas, document: Document) -> None:
        super().__init__(canvas, LETTER, document, margin=42)
        self.number = 0

    def _name(self, kind: str) -> str:
        self.number += 1
        return f"{kind}{self.number}"

    def field(self, x: float, width: float, value: str, *, lines: int = 1) -> None:
        height = _FIELD_HEIGHT * lines
        value = value.replace("\u00a0", " ")  # 0xA0 is the euro sign in a field's PDFDocEncoding
        if any(ord(char) > 255 for char in value):
            raise ValueError(f"a form field holds Latin-1 text only, not {value!r}")
        if lines > 1:  # reportlab draws a multi-line field's appearance from its explicit line breaks
            value = "\n".join(simpleSplit(value, "Helvetica", 9, width - 6))
        # reportlab takes float positions and sizes; its stubs say int
        self.canvas.acroForm.textfield(
            name=self._name("Text"),
            value=value,
            x=x,  # type: ignore[arg-type]
            y=self.y - height + 11,  # type: ignore[arg-type]
            width=width,  # type: ignore[arg-type]
            height=height,  # type: ignore[arg-type]
            fontName="Helvetica",
            fontSize=9,
            borderWidth=0.6,  # type: ignore[arg-type]
            borderColor=HexColor("#7f7f7f"),
            fillColor=HexColor("#eef2fb"),
            maxlen=600,
            fieldFlags="multiline" if lines > 1 else "",
            forceBorder=True,
        )

    def yes_no(self, x: float, answer: bool) -> None:
        words = LABELS[self.document.lang]
        for offset, (word, checked) in enumerate(((words["yes"][0], answer), (words["no"][0], not answer))):
            left = x + offset * 55
            self.canvas.acroForm.checkbox(  # float positions, as for text fields above
                name=self._name("Check Box"),
                checked=checked,
                x=left,  # type: ignore[arg-type]
                y=self.y - 2,  # type: ignore[arg-type]
                size=10,
                buttonStyle="cross",
                borderColor=HexColor("#7f7f7f"),
                fillColor=HexColor("#eef2fb"),
                forceBorder=True,
            )
            self.canvas.setFont("Helvetica", 8.5)
            self.canvas.drawString(left + 13, self.y, word)


def _answer(entry: Entry) -> bool | None:
    return next((bool(value) for name, value in entry.truth if name == "injuries"), None)


def _entry(pen: FormPen, entry: Entry, x: float, width: float, *, above: bool) -> None:
    lines = 3 if len(entry.value) > 70 else 1
    pen.need(_FIELD_HEIGHT * lines + (14 if above else 4))
    pen.canvas.setFont("Helvetica", 6.5 if above else 8.5)
    pen.canvas.drawString(x, pen.y, entry.label.upper() if above else entry.label)
    label_width = 0.0 if above else width * 0.36
    if above:
        pen.y -= 14
    answer = _answer(entry)
    if answer is not None:
        pen.yes_no(x + label_width, answer)
    elif entry.label or entry.value:
        pen.field(x + label_width, width - label_width, entry.value, lines=lines)
    pen.y -= _FIELD_HEIGHT * lines + 5


def _section(pen: FormPen, section: Section, *, above: bool) -> None:
    if section.heading:
        pen.band(section.heading)
        pen.y -= 12
    for entry in section.entries:
        if not entry.label:  # a printed statement, not a field
            pen.canvas.setFont("Helvetica-Oblique", 8)
            pen.canvas.drawString(pen.left, pen.y, entry.value)
            pen.y -= 14
            continue
        _entry(pen, entry, pen.left, pen.right - pen.left, above=above)


def _side_by_side(pen: FormPen, left: Section, right: Section) -> None:
    half = (pen.right - pen.left) / 2
    top = pen.y
    for index, section in enumerate((left, right)):
        pen.y = top
        x = pen.left + index * (half + 6)
        pen.canvas.setFont("Helvetica-Bold", 9)
        pen.canvas.drawString(x, pen.y, section.heading.upper())
        pen.y -= 14
        for entry in section.entries:
            _entry(pen, entry, x, half - 6, above=False)
    pen.y -= 6


def _items(pen: FormPen, items: Items) -> None:
    for total in items.totals:
        _entry(pen, total, pen.left, pen.right - pen.left, above=False)


def _blocks(pen: FormPen, document: Document, layout: str) -> None:
    blocks = list(document.blocks)
    while blocks:
        block = blocks.pop(0)
        partner = blocks[0] if blocks else None
        if (
            isinstance(block, Section)
            and isinstance(partner, Section)
            and layout.startswith("twovehicle")
            and _is_pair(block, partner)
        ):
            pen.need(6 * (_FIELD_HEIGHT + 5) + 20)
            _side_by_side(pen, block, partner)
            blocks.pop(0)
        elif isinstance(block, Section):
            _section(pen, block, above=layout.endswith("above"))
        elif isinstance(block, Items):
            _items(pen, block)
        elif isinstance(block, Prose):
            _section(pen, Section(block.heading, tuple(Entry("", text) for text in block.paragraphs)), above=False)


def _is_pair(first: Section, second: Section) -> bool:
    return len(first.entries) == len(second.entries) and [e.label for e in first.entries] == [
        e.label for e in second.entries
    ]


def render_acroform(document: Document, layout: str) -> bytes:
    """The document as a filled AcroForm in `layout`."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.setTitle(document.title or document.fine_type)
    pen = FormPen(canvas, document)
    pen.letterhead(banner=True)
    _blocks(pen, document, layout)
    pen.finish()
    return buffer.getvalue()
