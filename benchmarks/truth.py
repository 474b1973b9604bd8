"""Scoring extracted fields against `<file>.truth.json` files (the foreign_docs format).

A truth file: `{"doc_type": coarse type, "fields": {name: value}}`, only the fields the document
holds. Field names are the truth format's; ours differ in two (`loss_place`, `description`).
Values compare by kind: dates as ISO, times as 24-hour, amounts as numbers, phones by their
digits, text case- and punctuation-blind. `loss_description` is a paraphrase: not scored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from services.docextract.formats import parse_time
from services.docextract.local import read_file
from services.docextract.pdf import TextLayerReader

OURS = {"loss_address": "loss_place", "loss_description": "description"}
NOT_SCORED = frozenset({"loss_description"})
SCORED = frozenset(
    {
        "policy_number",
        "claim_number",
        "loss_date",
        "loss_time",
        "claimant_name",
        "claimant_phone",
        "claimant_email",
        "loss_address",
        "vehicle_year",
        "vehicle_make",
        "vehicle_model",
        "vehicle_vin",
        "vehicle_plate",
        "police_authority",
        "police_report_number",
        "estimate_total",
        "invoice_total",
        "currency",
        "other_party_name",
        "other_party_insurer",
        "other_party_policy_number",
        "injuries",
    }
)
CONFIDENT = 0.8
# our document types as the truth files' coarse ones
COARSE = {"repair_estimate": "estimate", "photo": "other"}
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


@dataclass(frozen=True)
class TruthDocument:
    path: Path
    media_type: str
    doc_type: str
    fields: dict[str, Any]


def load_corpus(folder: Path) -> list[TruthDocument]:
    """Every document in the folder that has a truth file beside it, by name."""
    documents = []
    for truth_path in sorted(folder.glob("*.truth.json")):
        path = truth_path.with_name(truth_path.name.removesuffix(".truth.json"))
        media_type = MEDIA_TYPES.get(path.suffix.lower())
        if not path.exists() or media_type is None:
            continue
        truth = json.loads(truth_path.read_text())
        documents.append(TruthDocument(path, media_type, truth["doc_type"], truth.get("fields", {})))
    return documents


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w@.]+", " ", text.casefold()).split()).strip(" .")


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", ""))
    except InvalidOperation:
        return None


def same(name: str, predicted: str, truth: Any) -> bool:
    """Whether an extracted value says what the truth file says."""
    if name in ("estimate_total", "invoice_total"):
        return _number(predicted) is not None and _number(predicted) == _number(str(truth))
    if name == "injuries":
        said = predicted.casefold() not in ("none", "no", "false")
        return said == bool(truth)
    if name == "loss_time":
        return parse_time(predicted) == (parse_time(str(truth)) or str(truth))
    if name == "claimant_phone":  # we give E.164 where the country is known; the truth is as printed
        ours, theirs = _digits(predicted).lstrip("0"), _digits(str(truth)).lstrip("0")  # a trunk 0 is no digit
        return len(theirs) >= 7 and (ours.endswith(theirs) or theirs.endswith(ours)) and len(ours) >= 7
    return _plain(predicted) == _plain(str(truth))


@dataclass
class Counts:
    """Values right (tp), given but wrong or not there (fp), there but not given right (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score(Counts):
    """Field precision and recall, type accuracy, and the confident wrong and spurious values over documents."""

    documents: int = 0
    typed_right: int = 0
    confident_wrong: int = 0
    confident: int = 0
    spurious: int = 0
    notes: list[str] = field(default_factory=list)
    readings: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) of every scored value

    def add(self, name: str, doc_type: str, truth: TruthDocument, predicted: dict[str, tuple[str, float]]) -> None:
        self.documents += 1
        coarse = COARSE.get(doc_type, doc_type)
        self.typed_right += coarse == truth.doc_type
        if coarse != truth.doc_type:
            self.notes.append(f"{name}: typed {doc_type}, truth {truth.doc_type}")
        for field_name in sorted(SCORED - NOT_SCORED):
            expected = truth.fields.get(field_name)
            got = predicted.get(OURS.get(field_name, field_name))
            self._count(name, field_name, expected, got)

    def _count(self, name: str, field_name: str, expected: Any, got: tuple[str, float] | None) -> None:
        if got is None:
            if expected is not None:
                self.fn += 1
                self.notes.append(f"{name}: {field_name} missed (truth {expected!r})")
            return
        value, confidence = got
        right = expected is not None and same(field_name, value, expected)
        self.readings.append((confidence, right))
        self.confident += confidence >= CONFIDENT
        if right:
            self.tp += 1
            return
        self.fp += 1
        self.confident_wrong += confidence >= CONFIDENT
        if expected is None:
            self.spurious += 1
            self.notes.append(f"{name}: {field_name}={value!r} ({confidence:.2f}) is not on the document")
        else:
            self.fn += 1
            self.notes.append(f"{name}: {field_name}={value!r} ({confidence:.2f}), truth {expected!r}")

    @property
    def confident_precision(self) -> float:
        """How often a value given with confidence >= 0.8 is right."""
        return 1 - self.confident_wrong / self.confident if self.confident else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.typed_right / self.documents if self.documents else 1.0


def score_folder(folder: Path, *, text_layer: TextLayerReader | None = None) -> Score:
    """Every document of a truth folder read as the service reads it (no FNOL: dates ordered by the document)."""
    score = Score()
    for document in load_corpus(folder):
        summary, fields = read_file(document.path, text_layer=text_layer)
        if summary.error:
            score.notes.append(f"{document.path.name}: {summary.error}")
        score.add(document.path.name, summary.doc_type, document, {f.name: (f.value, f.confidence) for f in fields})
    return score
