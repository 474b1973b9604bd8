"""PDF text layers parsed in a child process that is killed when a document's time runs out.

pdfminer (under pdfplumber) is pure Python: a hostile page (deeply nested content streams, a
million tiny glyphs) can keep it busy for minutes inside one page, where no deadline check can
run. So the text layer is read in a pebble process pool whose task is given the document's
remaining time: when it runs out, pebble kills the child and starts a fresh one, the document
gets a `timeout` error and the claim goes on. A child that dies (a crash in a C extension, the
kernel's OOM killer) gives a `corrupt` error the same way.
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import TimeoutError as FutureTimeout
from threading import Lock
from time import monotonic
from typing import Literal, TypeAlias

from pebble import ProcessExpired, ProcessPool

from services.docextract.content import DocumentError, ErrorCode, ReadLimits
from services.docextract.pdf import TextLayer, read_text_layer

GRACE_S = 2.0  # starting a child, pickling the result: time on top of the document's own
TASKS_PER_CHILD = 500  # pdfminer caches grow; a fresh child now and then keeps memory flat

# What the child sends back: the text layer, or a DocumentError's code, detail and pages.
_Outcome: TypeAlias = tuple[Literal["ok"], TextLayer] | tuple[Literal["error"], ErrorCode, str, int]


class IsolatedTextLayer:
    """Reads PDF text layers in a child process, one document at a time, within each document's deadline."""

    def __init__(self, *, workers: int = 1) -> None:
        self.workers = workers
        self._pool: ProcessPool | None = None
        self._lock = Lock()

    def __call__(self, content: bytes, limits: ReadLimits, deadline: float) -> TextLayer:
        remaining = deadline - monotonic()
        if remaining <= 0:
            raise DocumentError("timeout", "the document's time ran out before its text layer was read")
        future = self._started().schedule(_read_in_child, args=(content, limits, deadline), timeout=remaining + GRACE_S)
        try:
            outcome: _Outcome = future.result()
        except FutureTimeout as exc:
            raise DocumentError("timeout", f"the text layer took over {remaining:.0f} s to read") from exc
        except ProcessExpired as exc:
            raise DocumentError("corrupt", f"the PDF parser died on this file (exit code {exc.exitcode})") from exc
        if outcome[0] == "error":
            _, code, detail, pages = outcome
            raise DocumentError(code, detail, pages=pages)
        return outcome[1]

    def child_peak_mb(self) -> float:
        """The parser child's peak resident memory so far (for benchmarks and diagnostics)."""
        return float(self._started().schedule(_peak_mb).result(timeout=30 + GRACE_S))

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool.join()
                self._pool = None

    def _started(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                # forkserver: a clean child, not a fork of a process running Kafka and OCR threads; the server
                # imports pdfplumber once, so a child started after a kill is ready at once
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__])
                self._pool = ProcessPool(max_workers=self.workers, max_tasks=TASKS_PER_CHILD, context=context)
            return self._pool


def _read_in_child(content: bytes, limits: ReadLimits, deadline: float) -> _Outcome:
    """In the child: the text layer, or the DocumentError as plain values (an exception with keyword
    arguments does not survive pickling)."""
    try:
        pages, form_values = read_text_layer(content, limits, deadline)
        return ("ok", (pages, form_values))
    except DocumentError as error:
        return ("error", error.code, error.detail, error.pages)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
