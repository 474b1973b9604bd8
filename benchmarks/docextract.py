"""Document extraction against ground truth: field F1 per document type, digital and scanned; speed; memory.

    python benchmarks/docextract.py [--claims 60] [--scanned-claims 20] [--dev]
    python benchmarks/docextract.py --corpus DIR [--corpus DIR ...] [--verbose]

The evaluation corpus is seeded and fixed (claimgen.corpus.EVALUATION_SEED); `--dev` scores
the separate dev set instead, the one to tune on. Prints a table per corpus, then a last line:
`docextract: digital_f1=… scanned_f1=… digital_pages_per_s=… ocr_s_per_page=… peak_mb=…`.

`--corpus DIR` scores any folder of documents with `<file>.truth.json` beside them (the
foreign_docs format, benchmarks/truth.py), read as the service reads them; per folder a line
`docextract_corpus: docs=… type_acc=… precision=… recall=… f1=… confident_wrong=… spurious=…
confident_precision=…` (the share of values given with confidence >= 0.8 that are right);
`--plot FILE.png` draws each folder's calibration (share right per confidence band).
"""

# ruff: noqa: E402  (the project's imports must follow the sys.path fix below)
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

# Run as a script (`python benchmarks/docextract.py`), the project's root is not on sys.path: `benchmarks` is not
# an installed package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent), *(p for p in sys.path if Path(p or ".").resolve() != _HERE)]

from benchmarks.truth import Counts, Score, same, score_folder
from claimgen.corpus import DEV_SEED, EVALUATION_SEED, CorpusDocument, build_corpus
from services.docextract.classify import classify
from services.docextract.content import DocumentError, ReadLimits
from services.docextract.fields import extract_fields
from services.docextract.isolation import IsolatedTextLayer
from services.docextract.media import read_document
from services.docextract.ocr import TesseractOcr

SHA = "0" * 64


@dataclass
class Tally(Counts):
    documents: int = 0
    typed_right: int = 0
    misses: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, predicted: dict[str, str], truth: dict[str, str]) -> None:
        for name, value in predicted.items():
            if truth.get(name) is not None and _same(name, value, truth[name]):
                self.tp += 1
            else:
                self.fp += 1
                self.misses[name] += 1
        self.fn += sum(1 for name, value in truth.items() if not _same(name, predicted.get(name, ""), value))


def _same(name: str, predicted: str, truth: str) -> bool:
    if name.endswith("_phone"):  # read as E.164 where the country is known; the truth is as printed
        return same("claimant_phone", predicted, truth)
    return " ".join(predicted.split()).casefold() == " ".join(truth.split()).casefold()


def evaluate(
    corpus: Sequence[CorpusDocument], ocr: TesseractOcr, text_layer: IsolatedTextLayer, label: str
) -> tuple[dict[str, Tally], float, int]:
    """Tallies per document type (and 'all'), wall seconds and pages read, as the service reads them."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    started, pages = time.perf_counter(), 0
    limits = ReadLimits()
    for index, document in enumerate(corpus, start=1):
        try:
            content = read_document(
                document.content,
                document.media_type,
                limits=limits,
                ocr=ocr,
                deadline=time.monotonic() + limits.timeout_s,
                text_layer=text_layer,
            )
        except DocumentError as error:
            print(f"  {document.name}: {error}", file=sys.stderr)
            predicted, doc_type = {}, "other"
        else:
            pages += len(content.pages)
            doc_type = classify(content)
            fields = extract_fields(content, SHA, doc_type=doc_type, day_first=False)
            predicted = {f.name: f.value for f in fields}
        for key in (document.doc_type, "all"):
            tallies[key].documents += 1
            tallies[key].typed_right += doc_type == document.doc_type
            if document.truth:
                tallies[key].add(predicted, document.truth)
        if index % 10 == 0 or index == len(corpus):
            print(f"  {label}: {index}/{len(corpus)} documents, {time.perf_counter() - started:.1f} s", flush=True)
    return tallies, time.perf_counter() - started, pages


def report(title: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{title}\n| type | documents | typed right | precision | recall | F1 | most missed |")
    print("|---|---|---|---|---|---|---|")
    for doc_type, tally in sorted(tallies.items(), key=lambda item: item[0] == "all"):
        worst = ", ".join(f"{name} {count}" for name, count in sorted(tally.misses.items(), key=lambda i: -i[1])[:3])
        print(
            f"| {doc_type} | {tally.documents} | {tally.typed_right} | {tally.precision:.3f} | {tally.recall:.3f} "
            f"| {tally.f1:.3f} | {worst} |"
        )


def long_pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for number in range(pages):
        for line in range(40):
            canvas.drawString(50, 760 - 18 * line, f"Page {number + 1} line {line + 1}: Policy Number: POL-{line:07d}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def peak_child() -> None:
    """Run in a fresh process: the largest allowed scan and the largest allowed digital PDF; print peaks in MB.

    A tesseract child's rusage counts the memory it shared with this process when forked, so
    its own peak is measured apart, with /usr/bin/time, on the same largest image.
    """
    from PIL import Image, ImageDraw

    limits = ReadLimits()
    ocr = TesseractOcr()
    side = int(limits.max_pixels**0.5) - 1  # the largest image allowed: a page of print
    image = Image.new("L", (side, side), 235)
    draw = ImageDraw.Draw(image)
    for y in range(100, side - 100, 60):
        draw.text((100, y), "Policy Number: POL-1234567  Claim Number: CLM-2024-000123  " * 4, fill=20)
    with tempfile.NamedTemporaryFile(suffix=".png") as file:
        image.save(file.name, format="PNG", dpi=(300, 300))
        content = Path(file.name).read_bytes()
        measured = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "tesseract", file.name, "-", "--psm", "3"],
            capture_output=True,
            text=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    tesseract = int(measured.stderr.strip().splitlines()[-1]) / 1024 if measured.returncode == 0 else 0.0
    del image
    text_layer = IsolatedTextLayer()
    read_document(
        content,
        "image/png",
        limits=limits,
        ocr=ocr,
        deadline=time.monotonic() + limits.timeout_s,
        text_layer=text_layer,
    )
    read_document(
        long_pdf(limits.max_pages),
        "application/pdf",
        limits=limits,
        ocr=ocr,
        deadline=time.monotonic() + limits.timeout_s,
        text_layer=text_layer,
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parser = text_layer.child_peak_mb()
    text_layer.close()
    print(json.dumps({"python_mb": own, "parser_mb": parser, "tesseract_mb": tesseract, "workers": ocr.workers}))


def score_corpus(folder: Path, text_layer: IsolatedTextLayer, *, verbose: bool) -> Score:
    score = score_folder(folder, text_layer=text_layer)
    if verbose:
        print("\n".join(f"  {note}" for note in score.notes))
    return score


def corpus_main(folders: Sequence[Path], *, verbose: bool, plot: Path | None = None) -> None:
    text_layer = IsolatedTextLayer()
    for folder in folders:
        started = time.perf_counter()
        score = score_corpus(folder, text_layer, verbose=verbose)
        print(f"{folder}: {score.documents} documents in {time.perf_counter() - started:.1f} s")
        if plot is not None:
            reliability_plot(score, folder, plot.with_name(f"{plot.stem}-{folder.name}{plot.suffix}"))
        print(
            f"docextract_corpus: docs={score.documents} type_acc={score.type_accuracy:.3f} "
            f"precision={score.precision:.3f} recall={score.recall:.3f} f1={score.f1:.3f} "
            f"confident_wrong={score.confident_wrong} spurious={score.spurious} "
            f"confident_precision={score.confident_precision:.3f}"
        )
    text_layer.close()


def reliability_plot(score: Score, folder: Path, path: Path) -> None:
    """How often values are right against the confidence they were given: bars near the diagonal mean it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    edges = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]
    bins = [
        [right for confidence, right in score.readings if low <= confidence < high]
        for low, high in zip(edges, edges[1:], strict=False)
    ]
    middles = [(low + min(high, 1.0)) / 2 for low, high in zip(edges, edges[1:], strict=False)]
    figure, axis = plt.subplots(figsize=(6, 4.5))
    axis.bar(middles, [sum(b) / len(b) if b else 0 for b in bins], width=0.08, color="#4477aa")
    for middle, values in zip(middles, bins, strict=True):
        axis.annotate(f"{len(values)}", (middle, 0.02), ha="center", color="white" if values else "grey", fontsize=8)
    axis.plot([0, 1], [0, 1], "--", color="grey")
    axis.axhline(0.95, color="#cc6677", linewidth=0.8)
    axis.set(
        xlabel="confidence given",
        ylabel="share of values that are right",
        xlim=(0, 1),
        ylim=(0, 1.02),
        title=f"docextract calibration: {folder.name} ({len(score.readings)} values)",
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    print(f"calibration plot: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=60, help="claims in the digital corpus")
    parser.add_argument("--scanned-claims", type=int, default=20, help="claims in the scanned corpus")
    parser.add_argument("--dev", action="store_true", help="score the dev set (tune on this, never on evaluation)")
    parser.add_argument("--corpus", type=Path, action="append", help="score a folder of documents with truth files")
    parser.add_argument("--verbose", action="store_true", help="with --corpus: every miss and wrong value")
    parser.add_argument("--plot", type=Path, help="with --corpus: write a calibration plot per folder (PNG)")
    parser.add_argument("--peak-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.corpus:
        corpus_main(args.corpus, verbose=args.verbose, plot=args.plot)
        return
    if args.peak_child:
        peak_child()
        return
    seed = DEV_SEED if args.dev else EVALUATION_SEED
    ocr = TesseractOcr()
    print(f"docextract benchmark: {'dev' if args.dev else 'evaluation'} seed {seed}, OCR workers {ocr.workers}")
    digital = build_corpus(claims=args.claims, seed=seed)
    print("generating scans (300 dpi, noise, blur, skew, rotation)...", flush=True)
    scans = build_corpus(claims=args.scanned_claims, seed=seed + 1, scan_share=1.0)
    text_layer = IsolatedTextLayer()  # as the service reads PDFs: in a child process a deadline can kill
    text_layer(long_pdf(1), ReadLimits(), time.monotonic() + 60)  # the child started before the clock runs
    digital_tallies, digital_s, digital_pages = evaluate(digital, ocr, text_layer, "digital")
    scanned_tallies, scanned_s, scanned_pages = evaluate(scans, ocr, text_layer, "scanned")
    text_layer.close()
    report(f"Digital PDFs ({len(digital)} documents, {digital_pages} pages)", digital_tallies)
    report(f"Scans ({len(scans)} documents, {scanned_pages} pages)", scanned_tallies)
    print("measuring peak memory on the largest allowed documents...", flush=True)
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.docextract", "--peak-child"], capture_output=True, text=True, check=True
    )
    peak = json.loads(child.stdout.strip().splitlines()[-1])
    # every OCR worker on a largest page at once, while the parser child holds the largest PDF
    peak_mb = peak["python_mb"] + peak["parser_mb"] + peak["workers"] * peak["tesseract_mb"]
    print(
        f"peak memory: python process {peak['python_mb']:.0f} MB, PDF parser child {peak['parser_mb']:.0f} MB, "
        f"one tesseract child {peak['tesseract_mb']:.0f} MB x {peak['workers']} workers"
    )
    print(
        f"docextract: digital_f1={digital_tallies['all'].f1:.3f} scanned_f1={scanned_tallies['all'].f1:.3f} "
        f"digital_pages_per_s={digital_pages / digital_s:.1f} ocr_s_per_page={scanned_s / max(scanned_pages, 1):.2f} "
        f"peak_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
