"""The outside programs the routes drive: LibreOffice, Chromium, pandoc and Ghostscript. Each
call runs in its own scratch directory and profile, so documents can convert in parallel."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

TIMEOUT_S = 180
PROGRAMS = {"soffice": "LibreOffice Writer", "chromium": "Chromium", "pandoc": "pandoc", "gs": "Ghostscript"}


class MissingProgram(RuntimeError):
    pass


_profiles = threading.local()


def _profile(program: str) -> Path:
    """A profile directory per program and thread, reused across calls (a first start is slow)."""
    if not hasattr(_profiles, program):
        directory = tempfile.mkdtemp(prefix=f"{program}-profile-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        setattr(_profiles, program, Path(directory))
    return Path(getattr(_profiles, program))


def _run(arguments: list[str], target: Path, cwd: Path | None = None, attempts: int = 2) -> Path:
    """Run a converter until it has written `target`; a second attempt because an office suite or a
    browser started on a busy machine now and then exits without writing anything."""
    if shutil.which(arguments[0]) is None:
        raise MissingProgram(
            f"{PROGRAMS.get(arguments[0], arguments[0])} ({arguments[0]}) is not installed: run scripts/corpus-deps.sh"
        )
    complaint = ""
    for _ in range(attempts):
        try:
            result = subprocess.run(arguments, cwd=cwd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            complaint = f"no answer within {TIMEOUT_S} s"
            continue
        if result.returncode == 0 and target.exists():
            return target
        complaint = f"exit {result.returncode}: {result.stderr.decode(errors='replace')[-800:]}"
    raise RuntimeError(f"{arguments[0]} wrote no {target.name} in {attempts} attempts ({complaint})")


def office_to_pdf(source: Path) -> Path:
    """A .docx or .odt converted by LibreOffice Writer, next to the source."""
    return _run(
        [
            "soffice",
            f"-env:UserInstallation={_profile('soffice').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(source.parent),
            str(source),
        ],
        source.with_suffix(".pdf"),
    )


def html_to_pdf(source: Path) -> Path:
    """An HTML page printed to PDF by headless Chromium (page size from the page's CSS)."""
    target = source.with_suffix(".pdf")
    return _run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={_profile('chromium')}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}",
            source.resolve().as_uri(),
        ],
        target,
    )


def pandoc(source: Path, target: Path, *extra: str) -> Path:
    """Markdown converted by pandoc to whatever `target`'s suffix names (html, docx)."""
    return _run(["pandoc", str(source), "-o", str(target), *extra], target, cwd=source.parent)


def outline_text(source: Path, target: Path) -> Path:
    """The PDF rewritten by Ghostscript with every glyph drawn as curves: no text layer left."""
    return _run(
        [
            "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=pdfwrite",
            "-dNoOutputFonts",
            f"-sOutputFile={target}",
            str(source),
        ],
        target,
    )
