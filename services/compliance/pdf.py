"""The compliance report as PDF, laid out by reportlab (already a dependency: claimgen draws documents with it).

reportlab's platypus flows paragraphs, tables and the same PNG plots over pages with no system
libraries to install, where an HTML-to-PDF engine (WeasyPrint) would need Pango from Debian.
"""

from __future__ import annotations

import io
from typing import TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable

from services.compliance.report import Report, Table

STYLES = getSampleStyleSheet()
WIDTH = landscape(A4)[0] - 3 * cm
# A platypus table style command: its name, first and last cell, then its values (width, colour, ...).
TableCommand: TypeAlias = tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]


def render_pdf(report: Report) -> bytes:
    """The report as a PDF document (landscape A4)."""
    buffer = io.BytesIO()
    title = f"Compliance report {report.start:%Y-%m-%d} to {report.end:%Y-%m-%d}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=title,
        author="claims triage",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    story: list[Flowable] = [
        Paragraph(title, STYLES["Title"]),
        Paragraph(
            f"Claims routed from {report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} UTC, generated "
            f"{report.generated_at:%Y-%m-%d %H:%M} UTC from the audit log.",
            STYLES["Normal"],
        ),
        *_integrity(report),
        *_table(Table("Headline", ["figure", "value"], [[k, v] for k, v in report.headline.items()])),
    ]
    if not report.sections:
        story.append(Paragraph("No routing decisions in this period.", STYLES["Normal"]))
    for section in report.sections:
        story += [Paragraph(section.title, STYLES["Heading2"]), Paragraph(escape(section.text), STYLES["Normal"])]
        if section.figure:
            story.append(_image(section.figure))
        story += [flowable for t in section.tables for flowable in _table(t)]
    document.build(story)
    return buffer.getvalue()


def _integrity(report: Report) -> list[Flowable]:
    """A red box on the first page when the audit log does not verify; a line saying it does otherwise."""
    check = report.integrity
    if check is None:
        return []
    if check.intact:
        return [
            Paragraph(f"Audit log verified: its hash chain of {check.entries:,} entries is intact.", STYLES["Normal"])
        ]
    style = STYLES["Normal"].clone("alarm", textColor=colors.HexColor("#7a1010"), fontSize=11, leading=14)
    lines = [Paragraph(f"<b>WARNING: the audit log does not verify.</b> {escape(check.warning)}", style)]
    lines += [Paragraph(escape(p), style) for p in check.problems[:5]]
    box = PdfTable([[line] for line in lines], colWidths=[WIDTH], hAlign="LEFT")
    box.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 2, colors.HexColor("#a61b1b")),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fde4e4")),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ]
    )
    return [Spacer(1, 0.3 * cm), box, Spacer(1, 0.3 * cm)]


def _image(data: bytes) -> Image:
    width, height = ImageReader(io.BytesIO(data)).getSize()
    scale = min(WIDTH / width, 15 * cm / height, 1.0)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


def _table(table: Table) -> list[Flowable]:
    small = STYLES["BodyText"].clone("cell", fontSize=7, leading=8)
    cells = [[Paragraph(escape(c), small) for c in table.columns]]
    cells += [[Paragraph(escape(v), small) for v in row] for row in table.rows]
    pdf = PdfTable(cells, repeatRows=1, hAlign="LEFT")
    style: list[TableCommand] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
    ]
    style += [("BACKGROUND", (0, i + 1), (-1, i + 1), colors.mistyrose) for i, f in enumerate(table.flagged) if f]
    pdf.setStyle(style)
    return [Spacer(1, 0.2 * cm), Paragraph(f"<i>{escape(table.caption)}</i>", STYLES["Normal"]), pdf]
