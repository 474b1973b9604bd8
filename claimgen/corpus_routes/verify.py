"""A check on a build: is every stated value that is printed as-is found in the PDF's text
layer? Wrapped table cells and text drawn as curves or images are expected misses, reported
for a reader to judge, not failures."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber

VERBATIM = (
    "policy_number",
    "claim_number",
    "claimant_name",
    "claimant_phone",
    "claimant_email",
    "vehicle_vin",
    "vehicle_plate",
    "police_report_number",
    "other_party_name",
    "other_party_policy_number",
)


def _flat(text: str) -> str:
    joined = re.sub(r"-\n", "-", text.replace("\u00a0", " "))  # a reference broken after its hyphen
    return re.sub(r"\s+", " ", joined).strip()


def _field_value(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def text_layer(pdf: Path) -> str:
    """The text of every page and every filled form field."""
    with pdfplumber.open(pdf) as document:
        pages = [page.extract_text() or "" for page in document.pages]
        fields = [
            _field_value(annotation.get("data", {}).get("V", b""))
            for page in document.pages
            for annotation in page.annots or ()
        ]
    return _flat(" ".join(pages + fields))


def unprinted_values(paths: list[Path]) -> Iterator[tuple[Path, list[str]]]:
    for path in paths:
        if path.suffix != ".pdf" or "-curves-" in path.name or "-faxed-" in path.name:
            continue
        fields = json.loads(Path(f"{path}.truth.json").read_text(encoding="utf-8"))["fields"]
        text = text_layer(path)
        missing = [name for name in VERBATIM if name in fields and _flat(str(fields[name])) not in text]
        if missing:
            yield path, missing
