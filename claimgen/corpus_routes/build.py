"""Building a corpus: every template of a set, each document from its own seed, written with its
truth file. Documents are made in parallel; the outside programs do the heavy work."""

from __future__ import annotations

import json
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import reportlab

from claimgen.corpus_routes.catalogue import Template, templates
from claimgen.corpus_routes.claim import draw_claim
from claimgen.corpus_routes.countries import COUNTRIES
from claimgen.corpus_routes.kinds import INCIDENTS, KINDS, MOTOR_KINDS, PROPERTY_KINDS
from claimgen.corpus_routes.sheet import Document, truth_record
from claimgen.corpus_routes.stamps import reproducible
from claimgen.corpus_routes.style import draw_style

DEFAULT_SEEDS = {"dev": 1, "holdout": 2}
MANIFEST = "manifest.json"  # not a truth file: the language, country and route of each document
SUFFIXES = (".pdf", ".png", ".jpg")


@dataclass(frozen=True)
class Planned:
    """One document to make: a template and the seed of its content."""

    template: Template
    seed: int
    index: int

    @property
    def source(self) -> str:
        return f"claimgen.corpus_routes:{self.template.route}/{self.template.name}@{self.seed}"

    @property
    def country(self) -> str:
        return self.template.countries[self.index % len(self.template.countries)]

    @property
    def stem(self) -> str:
        return f"{self.template.route}-{self.template.name}-{self.seed}"


def plan(corpus_set: str, seed: int | None = None) -> list[Planned]:
    base = DEFAULT_SEEDS[corpus_set] if seed is None else seed
    return [
        Planned(template, base * 1000 + index, index)
        for template in templates(corpus_set)
        for index in range(template.count)
    ]


def _line(template: Template, rng: random.Random) -> str:
    if template.line:
        return template.line
    if template.kind in PROPERTY_KINDS:
        return "property"
    if template.kind in MOTOR_KINDS:
        return "motor"
    return rng.choice(("motor", "motor", "property"))


def draft(planned: Planned) -> tuple[Document, random.Random]:
    """The document's content, and the random source its producer goes on with."""
    template = planned.template
    rng = random.Random(f"{template.route}/{template.name}@{planned.seed}")
    country = COUNTRIES[planned.country]
    claim = draw_claim(rng, country, _line(template, rng), INCIDENTS.get(template.kind, ()))
    style = draw_style(rng, country, glyphs=template.glyphs, bare_money=template.bare_money)
    return KINDS[template.kind](rng, claim, style), rng


@dataclass(frozen=True)
class Made:
    path: Path
    document: Document
    planned: Planned

    def manifest_entry(self) -> dict[str, object]:
        """What the truth file does not say: the language, country and route of the document."""
        truth = self.document.truth_fields()
        return {
            "file": self.path.name,
            "route": self.planned.template.route,
            "template": self.planned.template.name,
            "fine_type": self.document.fine_type,
            "lang": self.document.lang,
            "country": self.planned.country,
            "currency": truth.get("currency"),
            "text_layer": _text_layer(self.planned.template, self.path),
        }


def _text_layer(template: Template, path: Path) -> str:
    """'full'; 'cover' (a typed cover over scanned pages); 'none' (curves or an image)."""
    if template.route != "outlined":
        return "full"
    return "cover" if path.suffix == ".pdf" and "faxed" in template.name else "none"


def make(planned: Planned, out_dir: Path) -> Made:
    """Write one document and its truth file into `out_dir`."""
    document, rng = draft(planned)
    with tempfile.TemporaryDirectory(prefix="corpus-route-") as scratch:
        made = planned.template.producer(document, rng, Path(scratch))
        target = out_dir / f"{planned.stem}{made.suffix}"
        content = made.read_bytes()
        target.write_bytes(reproducible(content) if made.suffix == ".pdf" else content)
    truth = truth_record(planned.source, document)
    Path(f"{target}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Made(target, document, planned)


def clear(out_dir: Path) -> None:
    """Remove a previous build's documents, truth files and manifest (nothing else) from `out_dir`."""
    for path in out_dir.iterdir():
        if path.name.endswith(".truth.json") or path.suffix in SUFFIXES or path.name == MANIFEST:
            path.unlink()


def write_manifest(out_dir: Path, corpus_set: str, seed: int | None, made: list[Made]) -> None:
    manifest = {
        "set": corpus_set,
        "seed": DEFAULT_SEEDS[corpus_set] if seed is None else seed,
        "reportlab": reportlab.Version,
        "documents": [item.manifest_entry() for item in made],
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build(out_dir: Path, corpus_set: str, seed: int | None = None, workers: int = 3) -> list[Path]:
    """Write the set's documents, their truth files and a manifest into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    clear(out_dir)
    planned = plan(corpus_set, seed)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        made = list(pool.map(lambda item: make(item, out_dir), planned))
    write_manifest(out_dir, corpus_set, seed, made)
    return [item.path for item in made]
