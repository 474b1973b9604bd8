"""Reading page images with Tesseract: words with their positions, lines of text, a form's boxes.

Tesseract runs as a child process per page (pytesseract), so a thread pool sized to the
machine's cores keeps every core busy; each child is limited to one thread and to a timeout.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import cache
from time import monotonic

import pytesseract
from PIL import Image

from services.core.settings import DocextractSettings
from services.docextract.cleanup import prepare_page, prepared_dpi
from services.docextract.content import DocumentError, PageText, PlacedWord
from services.docextract.formcells import Cell, erase_ruling, find_ruling

log = logging.getLogger(__name__)
LANGUAGES: str = DocextractSettings.model_fields["ocr_language"].default  # the one default, said in the settings
UPSIDE_DOWN_CONFIDENCE = 60.0  # below this mean word confidence, the page is also read turned round
MIN_WORD_CONFIDENCE = 0.0  # tesseract gives -1 to layout rows that hold no word
CLEANUP_GRACE_S = 5.0
SPECKS = " ~_—–|`‘’“”«»"  # what dust and noise read as; never the first or last character of a value


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)


@dataclass(frozen=True)
class ScannedPage:
    """One page to OCR: its number, its image (decoded in the caller's thread) and the dpi it was made at."""

    number: int
    image: Image.Image
    dpi: float | None


def read_words(image: Image.Image, *, language: str, timeout_s: float) -> list[Word]:
    """Every word Tesseract reads on a prepared page; DocumentError("timeout") if it takes too long."""
    try:
        data = pytesseract.image_to_data(
            image, lang=language, config="--psm 3", timeout=max(timeout_s, 0.1), output_type=pytesseract.Output.DICT
        )
    except RuntimeError as exc:  # pytesseract kills the child and says "Tesseract process timeout"
        raise DocumentError("timeout", f"OCR of a page took over {timeout_s:.0f} s") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise DocumentError("ocr_unavailable", "tesseract is not installed (scripts/system-deps.sh)") from exc
    words = []
    for index, text in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        text = _clean(text)
        if text and confidence >= MIN_WORD_CONFIDENCE:
            left, top = data["left"][index], data["top"][index]
            words.append(
                Word(
                    text,
                    left,
                    top,
                    left + data["width"][index],
                    top + data["height"][index],
                    confidence,
                    (data["block_num"][index], data["par_num"][index], data["line_num"][index]),
                )
            )
    return words


def _clean(text: str) -> str:
    """A word without the specks noise leaves at its ends; empty if it is nothing but specks."""
    text = re.sub(f"[{re.escape(SPECKS)}]{{2,}}", " ", text).strip(SPECKS)  # a run of specks splits glued words
    return text if any(char.isalnum() for char in text) else ""


def mean_confidence(words: list[Word]) -> float:
    return sum(word.confidence for word in words) / len(words) if words else 0.0


def text_lines(words: Iterable[Word]) -> list[str]:
    """Tesseract's lines in its reading order, words joined by single spaces."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return [" ".join(word.text for word in sorted(line, key=lambda w: w.left)) for _, line in sorted(lines.items())]


def cell_pairs(words: list[Word], cells: list[Cell]) -> Iterator[tuple[str, str]]:
    """(label, value) of each box: its first printed line is the label, the lines under it the value."""
    for left, top, right, bottom in cells:
        inside = [
            w for w in words if left <= (w.left + w.right) / 2 <= right and top <= (w.top + w.bottom) / 2 <= bottom
        ]
        rows = _rows(inside)
        if len(rows) >= 2:
            yield " ".join(w.text for w in rows[0]), " ".join(" ".join(w.text for w in row) for row in rows[1:])


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed rows by their vertical position, top to bottom, left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if rows and abs(middle - (rows[-1][0].top + rows[-1][0].bottom) / 2) < 0.6 * (word.bottom - word.top):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.left) for row in rows]


def ocr_page(page: ScannedPage, *, language: str, timeout_s: float) -> PageText:
    """A page image as text and boxes: cleaned up, ruling erased, read, and read again upside down if it reads badly."""
    started = monotonic()
    prepared = prepare_page(page.image, page.dpi)
    ruling = find_ruling(prepared)
    words = read_words(erase_ruling(prepared, ruling), language=language, timeout_s=timeout_s - (monotonic() - started))
    if words and mean_confidence(words) < UPSIDE_DOWN_CONFIDENCE:
        turned = prepared.rotate(180)
        turned_ruling = find_ruling(turned)
        turned_words = read_words(
            erase_ruling(turned, turned_ruling), language=language, timeout_s=timeout_s - (monotonic() - started)
        )
        if mean_confidence(turned_words) > mean_confidence(words):
            ruling, words = turned_ruling, turned_words
    boxes = tuple(cell_pairs(words, list(ruling.cells)))
    placed = tuple(PlacedWord(word.text, (word.left, word.top, word.right, word.bottom)) for word in words)
    return PageText(
        number=page.number,
        text="\n".join(text_lines(words)),
        boxes=boxes,
        method="ocr",
        words=placed,
        dpi=prepared_dpi(page.dpi),
    )


class TesseractOcr:
    """OCR pages in a pool of `workers` threads (default: one per core), at most `timeout_s` per page."""

    def __init__(self, *, workers: int = 0, language: str = LANGUAGES, page_timeout_s: float = 30.0) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.language, self.page_timeout_s = installed(language), page_timeout_s
        self._pool: ThreadPoolExecutor | None = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # parallel pages, not threads fighting inside one
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
        return self._pool

    def read_pages(self, pages: Iterable[ScannedPage], *, deadline: float) -> list[PageText]:
        """Every page read, in order; at most 2 x workers page images are held at once."""
        pending: list[Future[PageText]] = []
        done: list[PageText] = []
        try:
            for page in pages:
                if len(pending) >= 2 * self.workers:
                    done.append(_result(pending.pop(0), deadline))
                pending.append(self._executor().submit(self._read, page, deadline))
            done.extend(_result(future, deadline) for future in pending)
        finally:
            for future in pending:
                future.cancel()
        return done

    def _read(self, page: ScannedPage, deadline: float) -> PageText:
        remaining = min(self.page_timeout_s, deadline - monotonic())
        if remaining <= 0:
            raise DocumentError("timeout", "the document's time for OCR ran out")
        return ocr_page(page, language=self.language, timeout_s=remaining)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _result(future: Future[PageText], deadline: float) -> PageText:
    try:  # each page's tesseract timeout bounds the wait; the grace covers clean-up around it
        return future.result(timeout=max(deadline - monotonic(), 0) + CLEANUP_GRACE_S)
    except FutureTimeout as exc:
        raise DocumentError("timeout", "the document's time for OCR ran out") from exc


def installed(language: str) -> str:
    """`language` (`eng+fra`) without the languages Tesseract has no data for, each named in a warning; as given
    when Tesseract itself is missing (reading then fails with `ocr_unavailable`)."""
    have = _installed_languages()
    if have is None:
        return language
    wanted = [code for code in language.split("+") if code]
    kept = [code for code in wanted if code in have]
    for code in sorted(set(wanted) - set(kept)):
        log.warning("OCR language %s is not installed: install tesseract-ocr-%s, or leave it out", code, code)
    return "+".join(kept) or ("eng" if "eng" in have else language)


@cache
def _installed_languages() -> frozenset[str] | None:
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return None
