"""Producers: how a document becomes its final file. Each takes the document, a seeded random
source and a scratch directory, and returns the file it made there (a PDF, PNG or JPEG)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from claimgen.corpus_routes import converters, scans
from claimgen.corpus_routes.covers import cover_sheet
from claimgen.corpus_routes.sheet import Document

Producer = Callable[[Document, random.Random, Path], Path]


def word(layout: str) -> Producer:
    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        from claimgen.corpus_routes.office_docs import render_docx  # python-docx only where it is used

        source = workdir / "document.docx"
        source.write_bytes(render_docx(document, layout))
        return converters.office_to_pdf(source)

    return produce


def opendocument() -> Producer:
    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        from claimgen.corpus_routes.odt_docs import render_odt  # odfpy only where it is used

        source = workdir / "document.odt"
        source.write_bytes(render_odt(document))
        return converters.office_to_pdf(source)

    return produce


def web_page(layout: str) -> Producer:
    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        from claimgen.corpus_routes.html_pages import render_html

        source = workdir / "document.html"
        source.write_text(render_html(document, layout), encoding="utf-8")
        return converters.html_to_pdf(source)

    return produce


def markdown(target: str, field_style: str = "bold") -> Producer:
    """Markdown through pandoc to `html` (then Chromium) or to `docx` (then LibreOffice)."""

    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        from claimgen.corpus_routes.markdown_docs import CSS, render_markdown

        source = workdir / "document.md"
        source.write_text(render_markdown(document, field_style), encoding="utf-8")
        if target == "docx":
            return converters.office_to_pdf(
                converters.pandoc(source, workdir / "document.docx", "-f", "markdown-smart")
            )
        (workdir / "page.css").write_text(CSS, encoding="utf-8")
        page = converters.pandoc(source, workdir / "document.html", "-f", "markdown-smart", "-s", "-c", "page.css")
        return converters.html_to_pdf(page)

    return produce


def _bytes_producer(render: Callable[[Document], bytes]) -> Producer:
    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        target = workdir / "document.pdf"
        target.write_bytes(render(document))
        return target

    return produce


def canvas(layout: str) -> Producer:
    from claimgen.corpus_routes.reportlab_canvas import render_canvas

    return _bytes_producer(lambda document: render_canvas(document, layout))


def ruled_tables() -> Producer:
    from claimgen.corpus_routes.reportlab_tables import render_tables

    return _bytes_producer(render_tables)


def acroform(layout: str) -> Producer:
    from claimgen.corpus_routes.acroform_forms import render_acroform

    return _bytes_producer(lambda document: render_acroform(document, layout))


def outlined(base: Producer) -> Producer:
    """The base producer's PDF with its text turned into curves by Ghostscript."""

    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        return converters.outline_text(base(document, rng, workdir), workdir / "outlined.pdf")

    return produce


def page_image(base: Producer, kind: str) -> Producer:
    """The base producer's one-page PDF as a `jpeg`, `png` or `fax` image."""

    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        pdf = base(document, rng, workdir).read_bytes()
        target = workdir / ("page.jpg" if kind == "jpeg" else "page.png")
        target.write_bytes(scans.page_image(pdf, kind, rng))
        return target

    return produce


def scanned_behind_cover(base: Producer) -> Producer:
    """A typed fax cover page, then the base producer's pages as scanned images."""

    def produce(document: Document, rng: random.Random, workdir: Path) -> Path:
        from claimgen.corpus_routes.reportlab_canvas import render_canvas

        scanned = base(document, rng, workdir).read_bytes()
        pages = len(scans.render_pages(scanned, 10))
        cover = render_canvas(cover_sheet(rng, document, pages), "leaders")
        target = workdir / "faxed.pdf"
        target.write_bytes(scans.scans_behind_cover(cover, scanned, rng))
        return target

    return produce
