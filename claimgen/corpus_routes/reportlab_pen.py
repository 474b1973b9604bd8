"""A cursor over reportlab canvas pages: where the next line goes, when a page is full, and
what every page carries (a running head, the footer lines, the page number)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from claimgen.corpus_routes.labels import LABELS
from claimgen.corpus_routes.sheet import Document

_CONTINUED = {"en": "continued", "fr": "suite", "de": "Fortsetzung"}


class Pen:
    def __init__(
        self,
        canvas: Canvas,
        pagesize: tuple[float, float],
        document: Document,
        *,
        margin: float,
        may_split: bool = False,
    ) -> None:
        self.canvas, self.document = canvas, document
        self.width, self.height = pagesize
        self.left, self.right = margin, self.width - margin
        self.top, self.bottom = self.height - margin, margin + 24
        self.y = self.top
        self.page = 1
        self.may_split = may_split
        self.row_height = 0.0

    def need(self, height: float) -> None:
        """Start a new page unless `height` points fit above the bottom margin."""
        if self.y - height < self.bottom:
            self.new_page()

    def new_page(self) -> None:
        self._foot()
        self.canvas.showPage()
        self.page += 1
        self.y = self.top
        self.canvas.setFont("Helvetica-Oblique", 7.5)
        title = self.document.title or (self.document.issuer or ("",))[0]
        self.canvas.drawString(self.left, self.y, f"{title} ({_CONTINUED[self.document.lang]})")
        self.y -= 16

    def _foot(self) -> None:
        self.canvas.setFont("Helvetica", 6.5)
        y = self.bottom - 14
        for line in self.document.footer:
            self.canvas.drawString(self.left, y, line)
            y -= 8
        number = LABELS[self.document.lang]["page"][0].split("{of}")[0].format(n=self.page).rstrip(" /vonf")
        self.canvas.drawRightString(self.right, self.bottom - 14, number)

    def finish(self) -> None:
        self._foot()
        self.canvas.showPage()
        self.canvas.save()

    def heading(self, text: str) -> None:
        self.need(30)
        self.y -= 6
        self.canvas.setFont("Helvetica-Bold", 11)
        self.canvas.drawString(self.left, self.y, text)
        self.canvas.line(self.left, self.y - 3, self.right, self.y - 3)
        self.y -= 17

    def band(self, text: str) -> None:
        self.need(40)
        self.canvas.setFillGray(0)
        self.canvas.rect(self.left, self.y - 13, self.right - self.left, 13, stroke=0, fill=1)
        self.canvas.setFillGray(1)
        self.canvas.setFont("Helvetica-Bold", 8.5)
        self.canvas.drawString(self.left + 3, self.y - 10, text.upper())
        self.canvas.setFillGray(0)
        self.y -= 13

    def box(self, x: float, width: float, height: float, label: str, lines: list[str]) -> None:
        self.canvas.rect(x, self.y - height, width, height, stroke=1, fill=0)
        self.canvas.setFont("Helvetica", 5.5)
        self.canvas.drawString(x + 2, self.y - 7, label[: int(width / 2.6)])
        self.canvas.setFont("Helvetica", 9)
        for index, line in enumerate(lines):
            self.canvas.drawString(x + 3, self.y - 18 - 11 * index, line)

    def letterhead(self, *, banner: bool) -> None:
        issuer = self.document.issuer
        if issuer:
            self.canvas.setFont("Helvetica-Bold", 13 if banner else 15)
            self.canvas.drawString(self.left, self.y, issuer[0])
            self.canvas.setFont("Helvetica", 8.5)
            for index, line in enumerate(issuer[1:]):
                self.canvas.drawRightString(self.right, self.y - 10 * index, line)
            self.y -= max(22, 10 * len(issuer))
        if self.document.title:
            self.canvas.setFont("Helvetica-Bold", 12 if banner else 16)
            title = self.document.title.upper() if banner else self.document.title
            self.canvas.drawCentredString(self.width / 2, self.y, title)
            self.y -= 24
